import { afterAll, beforeAll, expect, test } from 'vitest';
import { AbortedError } from '../../../src/errors.ts';
import { createOpenAIPolicy } from '../../../src/policy/openai/index.ts';
import { startOpenAIServer, type OpenAITestServer } from '../../helpers/openai-server.ts';
import { arithmetic, params, policyConfig, promptFor } from '../../helpers/openai-policy-setup.ts';

let server: OpenAITestServer;
beforeAll(async () => {
  server = await startOpenAIServer({ answers: arithmetic, faults: { delayMs: 100 } });
});
afterAll(() => server.close());

test('generations are yielded as each request completes, not when all are done', async () => {
  const policy = createOpenAIPolicy(policyConfig(server.url, { n: 'fanout' }), { concurrency: 1 });
  const started = performance.now();
  const arrivals: number[] = [];
  for await (const _ of policy.generate([promptFor('What is 9 * 7?', [0, 1, 2])], params)) arrivals.push(performance.now() - started);
  expect(arrivals).toHaveLength(3);
  expect(arrivals[0]).toBeLessThan(arrivals[2] - 150);
});

test('an abort signal stops sampling with an AbortedError and sends no further requests', async () => {
  server.requests.length = 0;
  const policy = createOpenAIPolicy(policyConfig(server.url, { n: 'fanout' }), { concurrency: 1 });
  const abort = new AbortController();
  setTimeout(() => abort.abort(), 150);
  const seen: number[] = [];
  const error = await (async () => {
    for await (const generation of policy.generate([promptFor('What is 9 * 7?', [0, 1, 2, 3, 4, 5])], params, { signal: abort.signal })) seen.push(generation.index);
  })().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(AbortedError);
  expect(seen.length).toBeLessThan(6);
  await new Promise((r) => setTimeout(r, 150));
  expect(server.requests.length).toBeLessThanOrEqual(2);
});
