import { afterAll, beforeAll, expect, test } from 'vitest';
import { createOpenAIPolicy } from '../../../src/policy/openai/index.ts';
import { startOpenAIServer, type OpenAITestServer } from '../../helpers/openai-server.ts';
import { arithmetic, collect, policyConfig, promptFor } from '../../helpers/openai-policy-setup.ts';

let server: OpenAITestServer;
beforeAll(async () => {
  server = await startOpenAIServer({ answers: arithmetic });
});
afterAll(() => server.close());

test('requestsPerMinute spaces request starts evenly', async () => {
  // 300 per minute = one every 200 ms; without the limit all four would arrive within a few ms.
  const policy = createOpenAIPolicy(policyConfig(server.url, { n: 'fanout', requestsPerMinute: 300 }), { concurrency: 8 });
  const started = Date.now();
  await collect(policy, [promptFor('What is 9 * 7?', [0, 1, 2, 3])]);
  // Network latency can only delay an arrival, so the i-th request arrives no sooner than i × 200 ms.
  const arrivals = server.requests.map((r) => r.at - started);
  expect(arrivals).toHaveLength(4);
  arrivals.forEach((at, i) => expect(at).toBeGreaterThanOrEqual(i * 200 - 2));
});
