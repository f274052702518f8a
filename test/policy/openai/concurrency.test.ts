import { afterAll, beforeAll, expect, test } from 'vitest';
import { createOpenAIPolicy } from '../../../src/policy/openai/index.ts';
import { startOpenAIServer, type OpenAITestServer } from '../../helpers/openai-server.ts';
import { arithmetic, collect, policyConfig, promptFor } from '../../helpers/openai-policy-setup.ts';

let server: OpenAITestServer;
beforeAll(async () => {
  server = await startOpenAIServer({ answers: arithmetic, faults: { delayMs: 40 } });
});
afterAll(() => server.close());

test('concurrency caps the requests in flight', async () => {
  const policy = createOpenAIPolicy(policyConfig(server.url, { n: 'fanout' }), { concurrency: 3 });
  const generations = await collect(policy, [promptFor('What is 9 * 7?', [0, 1, 2, 3, 4, 5]), promptFor('What is 17 + 25?', [0, 1, 2, 3, 4, 5])]);
  expect(generations).toHaveLength(12);
  expect(server.requests).toHaveLength(12);
  expect(server.stats.maxInFlight).toBe(3);
});
