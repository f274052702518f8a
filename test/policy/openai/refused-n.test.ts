import { afterAll, beforeAll, expect, test } from 'vitest';
import { createOpenAIPolicy } from '../../../src/policy/openai/index.ts';
import { startOpenAIServer, type OpenAITestServer } from '../../helpers/openai-server.ts';
import { arithmetic, collect, policyConfig, promptFor } from '../../helpers/openai-policy-setup.ts';

let server: OpenAITestServer;
beforeAll(async () => {
  server = await startOpenAIServer({ answers: arithmetic, faults: { rejectN: true } });
});
afterAll(() => server.close());

test('n: auto falls back to fan-out when a provider refuses n > 1 with a 400', async () => {
  const policy = createOpenAIPolicy(policyConfig(server.url, { n: 'auto' }), { concurrency: 2 });
  const generations = await collect(policy, [promptFor('What is 9 * 7?', [0, 1, 2])]);
  expect(generations.map((g) => g.index).sort()).toEqual([0, 1, 2]);
  expect(server.requests.map((r) => `${r.n ?? 1}${r.fault ? ` ${r.fault}` : ''}`)).toEqual(['3 rejectN', '1', '1', '1']);
});
