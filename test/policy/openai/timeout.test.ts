import { afterAll, beforeAll, expect, test } from 'vitest';
import { PolicyError } from '../../../src/errors.ts';
import { createOpenAIPolicy } from '../../../src/policy/openai/index.ts';
import { startOpenAIServer, type OpenAITestServer } from '../../helpers/openai-server.ts';
import { arithmetic, collect, policyConfig, promptFor } from '../../helpers/openai-policy-setup.ts';

let server: OpenAITestServer;
beforeAll(async () => {
  server = await startOpenAIServer({ answers: arithmetic, faults: { delayMs: 300 } });
});
afterAll(() => server.close());

test('a response slower than timeoutMs fails with a timeout PolicyError', async () => {
  const policy = createOpenAIPolicy(policyConfig(server.url, { timeoutMs: 100, maxRetries: 0 }), { concurrency: 1 });
  const error = await collect(policy, [promptFor('What is 9 * 7?', [0])]).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(PolicyError);
  expect((error as PolicyError).code).toBe('POLICY_TIMEOUT');
  expect((error as PolicyError).message).toContain('did not answer within 100 ms');
});

test('a slow response within timeoutMs is waited for', async () => {
  const policy = createOpenAIPolicy(policyConfig(server.url, { timeoutMs: 2_000, maxRetries: 0 }), { concurrency: 1 });
  const generations = await collect(policy, [promptFor('What is 9 * 7?', [0])]);
  expect(generations).toHaveLength(1);
  expect(generations[0].latencyMs).toBeGreaterThanOrEqual(290);
});
