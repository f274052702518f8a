import { afterAll, beforeAll, expect, test } from 'vitest';
import { createOpenAIPolicy } from '../../../src/policy/openai/index.ts';
import { startOpenAIServer, type OpenAITestServer } from '../../helpers/openai-server.ts';
import { arithmetic, collect, policyConfig, promptFor } from '../../helpers/openai-policy-setup.ts';

let server: OpenAITestServer;
beforeAll(async () => {
  server = await startOpenAIServer({ answers: arithmetic, faults: { serverError: { times: 1 } } });
});
afterAll(() => server.close());

test('a 500 is retried and the retry succeeds', async () => {
  const policy = createOpenAIPolicy(policyConfig(server.url, { maxRetries: 2 }), { concurrency: 1 });
  const generations = await collect(policy, [promptFor('What is 17 + 25?', [0, 1])]);
  expect(generations).toHaveLength(2);
  expect(server.requests.map((r) => r.fault ?? 'ok')).toEqual(['serverError', 'ok']);
});
