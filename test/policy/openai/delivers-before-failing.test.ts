import { afterAll, beforeAll, expect, test } from 'vitest';
import { PolicyError } from '../../../src/errors.ts';
import { createOpenAIPolicy } from '../../../src/policy/openai/index.ts';
import type { Generation } from '../../../src/policy/policy.ts';
import { startOpenAIServer, type OpenAITestServer } from '../../helpers/openai-server.ts';
import { arithmetic, params, policyConfig, promptFor } from '../../helpers/openai-policy-setup.ts';

let server: OpenAITestServer;
beforeAll(async () => {
  server = await startOpenAIServer({ answers: arithmetic, faults: { rejectN: true } });
});
afterAll(() => server.close());

test('generations that arrived before a request failed for good are still delivered (they were paid for)', async () => {
  const policy = createOpenAIPolicy(policyConfig(server.url, { n: 'native' }), { concurrency: 3 });
  const received: Generation[] = [];
  let failure: unknown;
  try {
    // The third prompt asks for n=2, which this server refuses with a 400.
    for await (const generation of policy.generate([promptFor('What is 17 + 25?', [0]), promptFor('What is 100 - 58?', [0]), promptFor('What is 9 * 7?', [0, 1])], params)) {
      received.push(generation);
      // A consumer that writes each generation to disk is slower than the network.
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } catch (error) {
    failure = error;
  }
  expect(failure).toBeInstanceOf(PolicyError);
  expect(received.map((g) => g.key).sort()).toEqual(['What is 100 - 58?', 'What is 17 + 25?']);
});
