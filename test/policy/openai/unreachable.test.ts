import { expect, test } from 'vitest';
import { PolicyError } from '../../../src/errors.ts';
import { createOpenAIPolicy } from '../../../src/policy/openai/index.ts';
import { closedPort, collect, policyConfig, promptFor } from '../../helpers/openai-policy-setup.ts';

test('a port with nothing listening gives a clear PolicyError, fast', async () => {
  const url = `http://127.0.0.1:${await closedPort()}/v1`;
  const policy = createOpenAIPolicy(policyConfig(url, { maxRetries: 0 }), { concurrency: 1 });
  const started = performance.now();
  const error = await collect(policy, [promptFor('What is 9 * 7?', [0])]).catch((e: unknown) => e);
  expect(performance.now() - started).toBeLessThan(2_000);
  expect(error).toBeInstanceOf(PolicyError);
  expect((error as PolicyError).message).toBe(`could not reach ${url}: connection refused`);
  expect((error as PolicyError).code).toBe('POLICY_UNREACHABLE');
  expect((error as PolicyError).cause).toBeInstanceOf(Error);
});
