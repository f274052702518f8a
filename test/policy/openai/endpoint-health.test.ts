import { afterAll, beforeAll, expect, test } from 'vitest';
import { createOpenAIPolicy } from '../../../src/policy/openai/index.ts';
import { startOpenAIServer, type OpenAITestServer } from '../../helpers/openai-server.ts';
import { arithmetic, closedPort, collect, policyConfig, promptFor } from '../../helpers/openai-policy-setup.ts';

let healthy: OpenAITestServer;
beforeAll(async () => {
  healthy = await startOpenAIServer({ answers: arithmetic });
});
afterAll(() => healthy.close());

test('an endpoint that fails is skipped while another is healthy, and its requests go elsewhere', async () => {
  const dead = `http://127.0.0.1:${await closedPort()}/v1`;
  const config = policyConfig(healthy.url, {
    baseURL: undefined,
    n: 'fanout',
    maxRetries: 0,
    endpoints: [{ baseURL: dead }, { baseURL: healthy.url }],
  });
  const policy = createOpenAIPolicy(config, { concurrency: 1 });
  const generations = await collect(policy, [promptFor('What is 9 * 7?', Array.from({ length: 10 }, (_, i) => i))]);
  expect(generations.map((g) => g.index).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  // Every sample came from the healthy server, each requested once.
  expect(healthy.requests.map((r) => r.seed).sort()).toEqual(Array.from({ length: 10 }, (_, i) => 1000 + i));
});
