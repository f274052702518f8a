import { afterAll, beforeAll, expect, test } from 'vitest';
import { createOpenAIPolicy } from '../../../src/policy/openai/index.ts';
import { startOpenAIServer, type OpenAITestServer } from '../../helpers/openai-server.ts';
import { arithmetic, collect, params, policyConfig, promptFor } from '../../helpers/openai-policy-setup.ts';

let server: OpenAITestServer;
beforeAll(async () => {
  server = await startOpenAIServer({ answers: arithmetic });
});
afterAll(() => server.close());

test('n is asked for in one request per run of consecutive indices, each choice mapped to its index and seed', async () => {
  const policy = createOpenAIPolicy(policyConfig(server.url, { n: 'native' }), { concurrency: 4 });
  const generations = await collect(policy, [promptFor('What is 17 + 25?', [0, 1, 2, 3, 7, 8])]);

  expect(generations.map((g) => g.index).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 7, 8]);
  const chat = server.requests.filter((r) => r.path === '/v1/chat/completions');
  expect(chat.map((r) => [r.n ?? 1, r.seed]).sort((a, b) => a[1]! - b[1]!)).toEqual([
    [4, params.seed + 0],
    [2, params.seed + 7],
  ]);
  for (const generation of generations) {
    expect(generation.text).toMatch(/The answer is -?\d+\./);
    expect(generation.finishReason).toBe('stop');
    expect(generation.model).toBe('scripted-base');
    expect(generation.usage.completionTokens).toBeGreaterThan(0);
  }
  // Native n and fan-out give each index the same seed, so the samples are the same.
  const fanout = createOpenAIPolicy(policyConfig(server.url, { n: 'fanout' }), { concurrency: 4 });
  const again = await collect(fanout, [promptFor('What is 17 + 25?', [0, 1, 2, 3, 7, 8])]);
  const byIndex = (list: typeof generations) => Object.fromEntries(list.map((g) => [g.index, g.text]));
  expect(byIndex(again)).toEqual(byIndex(generations));
});
