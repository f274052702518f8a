import { afterAll, beforeAll, expect, test } from 'vitest';
import { createOpenAIPolicy } from '../../../src/policy/openai/index.ts';
import { startOpenAIServer, type OpenAITestServer } from '../../helpers/openai-server.ts';
import { collect, policyConfig, promptFor } from '../../helpers/openai-policy-setup.ts';

let server: OpenAITestServer;
beforeAll(async () => {
  server = await startOpenAIServer({ answers: {} });
});
afterAll(() => server.close());

const k = 8;
const prompts = Array.from({ length: 80 }, (_, i) => promptFor(`Problem number ${i}`, Array.from({ length: k }, (_, j) => j)));

test.each([
  ['two of eight choices', [0, 3]],
  ['a single choice', [0]],
])('one sparse answer (%s) costs that request its re-asks, not the run its use of n', async (_name, indices) => {
  server.requests.length = 0;
  server.faults.set({ sparseChoices: { times: 1, indices } });
  const policy = createOpenAIPolicy(policyConfig(server.url, { n: 'auto' }), { concurrency: 4 });
  const generations = await collect(policy, prompts);
  expect(generations).toHaveLength(80 * k);
  // 80 requests with n=8, plus one per choice the sparse answer lacked (632 when the endpoint
  // was switched to one request per sample for the rest of the run).
  expect(server.requests.filter((r) => r.path === '/v1/chat/completions')).toHaveLength(80 + k - indices.length);
}, 60_000);
