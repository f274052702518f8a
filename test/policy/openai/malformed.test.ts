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

test.each(['truncated', 'shape'] as const)('a %s JSON body is retried like a failure', async (kind) => {
  server.requests.length = 0;
  server.faults.set({ malformed: { times: 1, kind } });
  const policy = createOpenAIPolicy(policyConfig(server.url, { maxRetries: 2 }), { concurrency: 1 });
  const generations = await collect(policy, [promptFor('What is 9 * 7?', [0])]);
  expect(generations).toHaveLength(1);
  expect(server.requests.map((r) => r.fault ?? 'ok')).toEqual(['malformed', 'ok']);
});

test('bodies that stay malformed end in a PolicyError', async () => {
  server.faults.set({ malformed: { times: Infinity, kind: 'shape' } });
  const policy = createOpenAIPolicy(policyConfig(server.url, { maxRetries: 1 }), { concurrency: 1 });
  const error = await collect(policy, [promptFor('What is 9 * 7?', [0])]).catch((e: unknown) => e);
  server.faults.clear();
  expect(error).toBeInstanceOf(PolicyError);
  expect((error as PolicyError).code).toBe('POLICY_BAD_RESPONSE');
  expect((error as PolicyError).message).toMatch(/malformed response.*choices/);
});
