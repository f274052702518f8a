import { afterAll, beforeAll, expect, test } from 'vitest';
import { createOpenAIPolicy } from '../../../src/policy/openai/index.ts';
import { startOpenAIServer, type OpenAITestServer } from '../../helpers/openai-server.ts';
import { arithmetic, collect, policyConfig, promptFor } from '../../helpers/openai-policy-setup.ts';

let heavy: OpenAITestServer;
let light: OpenAITestServer;
beforeAll(async () => {
  [heavy, light] = await Promise.all([startOpenAIServer({ answers: arithmetic }), startOpenAIServer({ answers: arithmetic })]);
});
afterAll(() => Promise.all([heavy.close(), light.close()]));

test('weight sets an endpoint\'s share of the requests in flight: 3 to 1 of 4', async () => {
  for (const server of [heavy, light]) server.faults.set({ delayMs: 50 });
  const config = policyConfig(heavy.url, {
    baseURL: undefined,
    n: 'fanout',
    endpoints: [
      { baseURL: heavy.url, weight: 3 },
      { baseURL: light.url, weight: 1 },
    ],
  });
  const policy = createOpenAIPolicy(config, { concurrency: 4 });
  const generations = await collect(policy, [promptFor('What is 9 * 7?', Array.from({ length: 16 }, (_, i) => i))]);
  expect(generations).toHaveLength(16);
  expect(heavy.stats.maxInFlight).toBe(3);
  expect(light.stats.maxInFlight).toBe(1);
  // As fast as each other, they answer in that proportion too (give or take the last requests).
  expect(heavy.requests.length).toBeGreaterThan(light.requests.length);
  expect(heavy.requests.length + light.requests.length).toBe(16);
});
