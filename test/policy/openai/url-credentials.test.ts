import { inspect } from 'node:util';
import { expect, test } from 'vitest';
import { PolicyError } from '../../../src/errors.ts';
import { createOpenAIPolicy } from '../../../src/policy/openai/index.ts';
import { closedPort, policyConfig } from '../../helpers/openai-policy-setup.ts';

test('a base URL with user:password@ is refused up front, without repeating the password', async () => {
  // fetch refuses such URLs on every request, and its error quotes the URL whole.
  const url = `http://bob:hunter2-secret@127.0.0.1:${await closedPort()}/v1`;
  let error: unknown;
  try {
    createOpenAIPolicy(policyConfig(url), { concurrency: 1, env: {} });
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(PolicyError);
  expect((error as PolicyError).message).toMatch(/credentials.*apiKeyEnv/);
  expect(inspect(error, { depth: 20 })).not.toContain('hunter2-secret');
});
