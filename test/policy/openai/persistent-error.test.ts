import { afterAll, beforeAll, expect, test } from 'vitest';
import { PolicyError } from '../../../src/errors.ts';
import { createOpenAIPolicy } from '../../../src/policy/openai/index.ts';
import { startOpenAIServer, type OpenAITestServer } from '../../helpers/openai-server.ts';
import { arithmetic, collect, policyConfig, promptFor } from '../../helpers/openai-policy-setup.ts';

let server: OpenAITestServer;
beforeAll(async () => {
  server = await startOpenAIServer({ answers: arithmetic, faults: { serverError: { times: Infinity } } });
});
afterAll(() => server.close());

test('a server that keeps answering 500 ends in a PolicyError naming the endpoint and status', async () => {
  const policy = createOpenAIPolicy(policyConfig(server.url, { maxRetries: 1 }), { concurrency: 1 });
  const error = await collect(policy, [promptFor('What is 17 + 25?', [0])]).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(PolicyError);
  expect((error as PolicyError).message).toContain(`${server.url} answered 500`);
  expect((error as PolicyError).message).toContain('after 2 attempts');
  expect((error as PolicyError).cause).toBeDefined();
  expect(server.requests).toHaveLength(2);
});
