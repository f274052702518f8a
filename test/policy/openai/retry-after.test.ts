import { afterAll, beforeAll, expect, test } from 'vitest';
import { createOpenAIPolicy } from '../../../src/policy/openai/index.ts';
import { startOpenAIServer, type OpenAITestServer } from '../../helpers/openai-server.ts';
import { arithmetic, collect, policyConfig, promptFor } from '../../helpers/openai-policy-setup.ts';

let server: OpenAITestServer;
beforeAll(async () => {
  server = await startOpenAIServer({ answers: arithmetic });
});
afterAll(() => server.close());

test.each([
  ['retry-after-ms', { retryAfterMs: 400 }, 400],
  ['retry-after (seconds)', { retryAfterSeconds: 1 }, 1000],
])('a 429 with %s is retried after the time the server asked for', async (_name, header, waitMs) => {
  server.requests.length = 0;
  server.faults.set({ rateLimit: { times: 1, ...header } });
  const policy = createOpenAIPolicy(policyConfig(server.url), { concurrency: 1 });
  const generations = await collect(policy, [promptFor('What is 17 + 25?', [0])]);

  expect(generations).toHaveLength(1);
  const [limited, retried] = server.requests;
  expect(limited.fault).toBe('rateLimit');
  expect(retried.fault).toBeUndefined();
  expect(retried.at - limited.at).toBeGreaterThanOrEqual(waitMs - 5);
  expect(retried.at - limited.at).toBeLessThan(waitMs + 1_500);
});
