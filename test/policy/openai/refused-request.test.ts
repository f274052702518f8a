import { afterAll, beforeAll, expect, test } from 'vitest';
import { PolicyError } from '../../../src/errors.ts';
import { createOpenAIPolicy } from '../../../src/policy/openai/index.ts';
import { startOpenAIServer, type OpenAITestServer } from '../../helpers/openai-server.ts';
import { arithmetic, collect, policyConfig, promptFor } from '../../helpers/openai-policy-setup.ts';

let first: OpenAITestServer;
let second: OpenAITestServer;
beforeAll(async () => {
  [first, second] = await Promise.all([startOpenAIServer({ answers: arithmetic }), startOpenAIServer({ answers: arithmetic })]);
});
afterAll(() => Promise.all([first.close(), second.close()]));

test('a request the server refuses (404 unknown model) fails at once with the server message, without failover', async () => {
  const config = policyConfig(first.url, { baseURL: undefined, model: 'no-such-model', endpoints: [{ baseURL: first.url }, { baseURL: second.url }] });
  const error = await collect(createOpenAIPolicy(config, { concurrency: 1 }), [promptFor('What is 9 * 7?', [0])]).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(PolicyError);
  expect((error as PolicyError).message).toBe(`${first.url} answered 404: The model 'no-such-model' does not exist (served: scripted-base)`);
  expect(first.requests.length + second.requests.length).toBe(1);
});
