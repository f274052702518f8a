import { afterAll, beforeAll, expect, test } from 'vitest';
import { createOpenAIPolicy } from '../../../src/policy/openai/index.ts';
import { startOpenAIServer, type OpenAITestServer } from '../../helpers/openai-server.ts';
import { arithmetic, collect, params, policyConfig, promptFor } from '../../helpers/openai-policy-setup.ts';

let server: OpenAITestServer;
beforeAll(async () => {
  server = await startOpenAIServer({ answers: arithmetic });
});
afterAll(() => server.close());

test('choices are matched to sample indices by their index, and only the missing ones are asked again', async () => {
  server.faults.set({ sparseChoices: { times: 1, indices: [0, 2] } });
  const policy = createOpenAIPolicy(policyConfig(server.url, { n: 'native' }), { concurrency: 1 });
  const generations = await collect(policy, [promptFor('What is 9 * 7?', [0, 1, 2])]);
  const byIndex = new Map(generations.map((g) => [g.index, g.text]));
  expect(generations).toHaveLength(3);
  expect(byIndex.get(0)).toBe('choice 0');
  expect(byIndex.get(2)).toBe('choice 2');
  expect(byIndex.get(1)).toMatch(/The answer is/);
  // The retry asks for index 1 alone, with index 1's seed.
  expect(server.requests.map((r) => [r.n ?? 1, r.seed])).toEqual([
    [3, params.seed],
    [1, params.seed + 1],
  ]);
});

test('a choice index outside what was asked is not taken for another sample', async () => {
  server.requests.length = 0;
  server.faults.set({ sparseChoices: { times: 1, indices: [5] } });
  const policy = createOpenAIPolicy(policyConfig(server.url, { n: 'native' }), { concurrency: 1 });
  const generations = await collect(policy, [promptFor('What is 9 * 7?', [0])]);
  expect(generations).toHaveLength(1);
  expect(generations[0].text).toMatch(/The answer is/);
});
