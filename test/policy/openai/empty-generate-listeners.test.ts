import { getEventListeners } from 'node:events';
import { expect, test } from 'vitest';
import { createOpenAIPolicy } from '../../../src/policy/openai/index.ts';
import { closedPort, params, policyConfig, promptFor } from '../../helpers/openai-policy-setup.ts';

test('a generate call with nothing to draw leaves no abort listener on the caller signal', async () => {
  // Resumed runs ask for the gaps only, which are often none; nothing is sent, so no server is needed.
  const policy = createOpenAIPolicy(policyConfig(`http://127.0.0.1:${await closedPort()}/v1`), { concurrency: 1 });
  const signal = new AbortController().signal;
  for (let i = 0; i < 20; i++) {
    for await (const generation of policy.generate([promptFor('What is 9 * 7?', [])], params, { signal })) throw new Error(`unexpected ${generation.key}`);
  }
  expect(getEventListeners(signal, 'abort')).toHaveLength(0);
});
