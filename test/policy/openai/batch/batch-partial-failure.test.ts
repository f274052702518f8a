import { afterAll, beforeAll, expect, test } from 'vitest';
import { PolicyError } from '../../../../src/errors.ts';
import { createOpenAIPolicy } from '../../../../src/policy/openai/index.ts';
import type { Generation } from '../../../../src/policy/policy.ts';
import { startOpenAIServer, type OpenAITestServer } from '../../../helpers/openai-server.ts';
import { arithmetic, params, policyConfig } from '../../../helpers/openai-policy-setup.ts';
import { batchRequests, inputIds, memoryState } from './batch-helpers.ts';

let server: OpenAITestServer;
beforeAll(async () => {
  server = await startOpenAIServer({ answers: arithmetic });
});
afterAll(() => server.close());

test('a partly failed batch: what succeeded is merged, and only the failed requests go into a second batch', async () => {
  server.faults.set({ batchLineErrors: { times: 1, lines: 5 } });
  const policy = createOpenAIPolicy(policyConfig(server.url, { batch: { pollIntervalMs: 20 } }), { concurrency: 4 });
  const generations: Generation[] = [];
  for await (const g of policy.generate(batchRequests(4), params, { state: memoryState() })) generations.push(g);

  expect(generations).toHaveLength(12);
  expect(new Set(generations.map((g) => `${g.key}#${g.index}`)).size).toBe(12);
  const [first, second] = server.batches();
  expect(server.batches()).toHaveLength(2);
  expect(first.request_counts).toEqual({ total: 12, completed: 7, failed: 5 });
  const firstIds = await inputIds(server.uploads(), first.input_file_id);
  const secondIds = await inputIds(server.uploads(), second.input_file_id);
  // The server failed the first five lines of the first batch: exactly those were sent again.
  expect(secondIds.sort()).toEqual(firstIds.slice(0, 5).sort());
  expect(second.request_counts).toEqual({ total: 5, completed: 5, failed: 0 });
});

test('a request refused in a batch (400) fails the call, after every answered sample was delivered', async () => {
  server.faults.set({ batchLineErrors: { times: 1, lines: 2, status: 400 } });
  const before = server.batches().length;
  const policy = createOpenAIPolicy(policyConfig(server.url, { batch: { pollIntervalMs: 20 } }), { concurrency: 4 });
  const generations: Generation[] = [];
  const error = await (async () => {
    for await (const g of policy.generate(batchRequests(4), params, { state: memoryState() })) generations.push(g);
  })().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(PolicyError);
  expect((error as PolicyError).message).toMatch(/^the batch request sample-\d-\d was refused: 400: /);
  expect(generations).toHaveLength(10);
  // Nothing was sent again: a refused request would be refused again.
  expect(server.batches().length - before).toBe(1);
});

test('requests that keep failing are sent again maxRetries times, then the call fails naming one', async () => {
  server.faults.set({ batchLineErrors: { times: 10, lines: 1 } });
  const before = server.batches().length;
  const policy = createOpenAIPolicy(policyConfig(server.url, { batch: { pollIntervalMs: 20 }, maxRetries: 2 }), { concurrency: 4 });
  const generations: Generation[] = [];
  const error = await (async () => {
    for await (const g of policy.generate(batchRequests(1), params, { state: memoryState() })) generations.push(g);
  })().catch((e: unknown) => e);
  server.faults.set({ batchLineErrors: undefined });
  expect(error).toBeInstanceOf(PolicyError);
  expect((error as PolicyError).message).toMatch(/^1 batch request\(s\) got no answer after 3 batches \(e\.g\. sample-\d-0: 500: /);
  expect(generations).toHaveLength(2);
  expect(server.batches().length - before).toBe(3);
});
