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

test('requests are spread over endpoints by weight', async () => {
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
  expect(heavy.requests).toHaveLength(12);
  expect(light.requests).toHaveLength(4);
});
