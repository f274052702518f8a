import { afterAll, beforeAll, expect, test } from 'vitest';
import { createOpenAIPolicy } from '../../../src/policy/openai/index.ts';
import { startOpenAIServer, type OpenAITestServer } from '../../helpers/openai-server.ts';
import { arithmetic, collect, policyConfig, promptFor } from '../../helpers/openai-policy-setup.ts';

let fast: OpenAITestServer;
let slow: OpenAITestServer;
beforeAll(async () => {
  [fast, slow] = await Promise.all([startOpenAIServer({ answers: arithmetic }), startOpenAIServer({ answers: arithmetic })]);
});
afterAll(() => Promise.all([fast.close(), slow.close()]));

const completions = (server: OpenAITestServer) => server.requests.filter((r) => r.path === '/v1/chat/completions').length;

test('a replica three times slower gets requests in proportion to its speed (±20%, by request counts)', async () => {
  fast.faults.set({ delayMs: 300 });
  slow.faults.set({ delayMs: 900 });
  const config = policyConfig(fast.url, { baseURL: undefined, n: 'fanout', endpoints: [{ baseURL: fast.url }, { baseURL: slow.url }] });
  const policy = createOpenAIPolicy(config, { concurrency: 8 });
  const total = 120;
  const generations = await collect(policy, [promptFor('What is 9 * 7?', Array.from({ length: total }, (_, i) => i))]);

  expect(generations).toHaveLength(total);
  expect(new Set(generations.map((g) => g.index)).size).toBe(total);
  expect(completions(fast) + completions(slow)).toBe(total);
  // Which server answered each sample: fan-out sends seed = 1000 + index.
  const slowIndices = new Set(slow.requests.map((r) => r.seed! - 1000));
  const meanLatency = (onSlow: boolean) => {
    const answered = generations.filter((g) => slowIndices.has(g.index) === onSlow);
    return answered.reduce((sum, g) => sum + g.latencyMs, 0) / answered.length;
  };
  // Speed as the client saw it in this run (the 3x of the delays, diluted by the machine's load):
  // with as many requests in flight on each, an endpoint's share is its speed over the total.
  const fastLatency = meanLatency(false);
  const slowLatency = meanLatency(true);
  const expected = fastLatency / (fastLatency + slowLatency);
  const share = completions(slow) / total;
  expect(slowLatency / fastLatency).toBeGreaterThan(1.5);
  expect(share).toBeGreaterThanOrEqual(expected * 0.8);
  expect(share).toBeLessThanOrEqual(expected * 1.2);
});

test("each endpoint's maxConcurrency is a cap of its own and the caps add up: two replicas of 3 run 6 at once", async () => {
  for (const server of [fast, slow]) {
    server.faults.set({ delayMs: 80 });
    server.stats.maxInFlight = 0;
  }
  const config = policyConfig(fast.url, {
    baseURL: undefined,
    n: 'fanout',
    endpoints: [
      { baseURL: fast.url, maxConcurrency: 3 },
      { baseURL: slow.url, maxConcurrency: 3 },
    ],
  });
  // The policy would allow 16 at once; the endpoints' caps (3 + 3) are what hold.
  const policy = createOpenAIPolicy(config, { concurrency: 16 });
  const generations = await collect(policy, [promptFor('What is 17 + 25?', Array.from({ length: 36 }, (_, i) => i))]);

  expect(generations).toHaveLength(36);
  expect(fast.stats.maxInFlight).toBe(3);
  expect(slow.stats.maxInFlight).toBe(3);
});
