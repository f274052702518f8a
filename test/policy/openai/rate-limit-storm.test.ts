import { afterAll, beforeAll, expect, test } from 'vitest';
import { PolicyError } from '../../../src/errors.ts';
import { createOpenAIPolicy } from '../../../src/policy/openai/index.ts';
import { startOpenAIServer, type OpenAITestServer } from '../../helpers/openai-server.ts';
import { arithmetic, collect, policyConfig, promptFor } from '../../helpers/openai-policy-setup.ts';

let server: OpenAITestServer;
beforeAll(async () => {
  server = await startOpenAIServer({ answers: arithmetic });
});
afterAll(() => server.close());

const prompts = Object.keys(arithmetic).map((problem) => promptFor(problem, [0, 1]));

test('a 429 storm longer than the retries (7 s at 1 s retry-after) is waited out, and the run goes on', async () => {
  server.requests.length = 0;
  server.faults.set({ rateLimit: { times: Infinity, retryAfterSeconds: 1 } });
  const calm = setTimeout(() => server.faults.set({ rateLimit: { times: 0 } }), 7_000);
  try {
    // maxRetries 5, as by default: before, the sixth 429 of one request failed the run (exit 4) after ~6 s.
    const policy = createOpenAIPolicy(policyConfig(server.url, { maxRetries: 5 }), { concurrency: 3 });
    const generations = await collect(policy, prompts);
    expect(generations).toHaveLength(prompts.length * 2);
  } finally {
    clearTimeout(calm);
  }
  const limited = server.requests.filter((r) => r.fault === 'rateLimit');
  console.log(`429 storm of 7 s: ${limited.length} rate-limited requests, ${server.requests.length - limited.length} answered`);
  // The endpoint is held back as a whole: about one round of the 3 requests per retry-after, not a hammering.
  expect(limited.length).toBeGreaterThanOrEqual(6);
  expect(limited.length).toBeLessThanOrEqual(3 * 9);
}, 30_000);

test('past policy.rateLimitPatienceMs the request fails, saying how long it was rate limited', async () => {
  server.requests.length = 0;
  server.faults.set({ rateLimit: { times: Infinity, retryAfterMs: 200 } });
  const started = Date.now();
  const policy = createOpenAIPolicy(policyConfig(server.url, { rateLimitPatienceMs: 1_500 }), { concurrency: 1 });
  const error = await collect(policy, [promptFor('What is 9 * 7?', [0])]).catch((e: unknown) => e);
  server.faults.clear();
  expect(error).toBeInstanceOf(PolicyError);
  expect((error as PolicyError).code).toBe('POLICY_RATE_LIMITED');
  expect((error as PolicyError).message).toMatch(/answered 429: .*rate limited for \d+ s, past policy\.rateLimitPatienceMs \(1500 ms\)/);
  expect(Date.now() - started).toBeGreaterThanOrEqual(1_500);
  expect(Date.now() - started).toBeLessThan(6_000);
  expect(server.requests.length).toBeGreaterThanOrEqual(5);
}, 30_000);
