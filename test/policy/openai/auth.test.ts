import { afterAll, beforeAll, expect, test } from 'vitest';
import { PolicyError } from '../../../src/errors.ts';
import { createOpenAIPolicy } from '../../../src/policy/openai/index.ts';
import { startOpenAIServer, type OpenAITestServer } from '../../helpers/openai-server.ts';
import { arithmetic, collect, policyConfig, promptFor } from '../../helpers/openai-policy-setup.ts';

const key = 'sk-test-secret-0123456789';
let server: OpenAITestServer;
beforeAll(async () => {
  server = await startOpenAIServer({ answers: arithmetic, faults: { apiKey: key } });
});
afterAll(() => server.close());

const failure = (env: NodeJS.ProcessEnv): Promise<PolicyError> =>
  collect(createOpenAIPolicy(policyConfig(server.url), { concurrency: 1, env }), [promptFor('What is 9 * 7?', [0])]).then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e as PolicyError,
  );

test('the key is read from the configured variable and sent as a bearer token', async () => {
  const generations = await collect(createOpenAIPolicy(policyConfig(server.url, { apiKeyEnv: 'MY_KEY' }), { concurrency: 1, env: { MY_KEY: key } }), [
    promptFor('What is 9 * 7?', [0]),
  ]);
  expect(generations).toHaveLength(1);
});

test('an unset key on a loopback server sends a placeholder; a refusal names the variable', async () => {
  const error = await failure({});
  expect(error).toBeInstanceOf(PolicyError);
  expect(error.code).toBe('POLICY_AUTH');
  expect(error.message).toMatch(/^OPENAI_API_KEY is not set/);
});

test('a wrong key is reported as refused, without printing it', async () => {
  const wrong = 'sk-wrong-secret-9876543210';
  const error = await failure({ OPENAI_API_KEY: wrong });
  expect(error.message).toMatch(/^OPENAI_API_KEY was refused/);
  expect(error.message).not.toContain(wrong);
  expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain(wrong);
});

test('a remote endpoint without a key fails before any request', () => {
  expect(() => createOpenAIPolicy(policyConfig('https://api.example.com/v1'), { concurrency: 1, env: {} })).toThrow(/OPENAI_API_KEY is not set; https:\/\/api.example.com\/v1 needs an API key/);
});
