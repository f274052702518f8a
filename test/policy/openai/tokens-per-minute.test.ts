import { afterAll, beforeAll, expect, test } from 'vitest';
import { createOpenAIPolicy } from '../../../src/policy/openai/index.ts';
import { startOpenAIServer, type OpenAITestServer } from '../../helpers/openai-server.ts';
import { arithmetic, collect, params, policyConfig } from '../../helpers/openai-policy-setup.ts';

let server: OpenAITestServer;
beforeAll(async () => {
  server = await startOpenAIServer({ answers: arithmetic });
});
afterAll(() => server.close());

test('tokensPerMinute holds a request back until the budget has refilled enough for it', async () => {
  // 6000 tokens per minute refill 100 per second. Each request is estimated at 3034 prompt tokens
  // (12136 chars / 4) + 16 max tokens = 3050: the first fits the full bucket, the second finds
  // ~2950 left and must wait ~1 s for the rest.
  const text = `What is 9 * 7?${' '.repeat(12136 - 'What is 9 * 7?'.length)}`;
  const policy = createOpenAIPolicy(policyConfig(server.url, { n: 'fanout', tokensPerMinute: 6_000 }), { concurrency: 8 });
  const started = Date.now();
  await collect(policy, [{ key: 'long', text, messages: [{ role: 'user', content: text }], indices: [0, 1] }], { ...params, maxTokens: 16 });
  // Latency can only delay an arrival, so the second cannot arrive before its ~1 s wait is over.
  const [, second] = server.requests.map((r) => r.at - started);
  expect(second).toBeGreaterThanOrEqual(900);
  expect(second).toBeLessThan(3_000);
});
