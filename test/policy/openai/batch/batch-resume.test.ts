import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import { AbortedError } from '../../../../src/errors.ts';
import { createOpenAIPolicy } from '../../../../src/policy/openai/index.ts';
import { startOpenAIServer, type OpenAITestServer } from '../../../helpers/openai-server.ts';
import { arithmetic, params, policyConfig } from '../../../helpers/openai-policy-setup.ts';
import { batchRequests, memoryState } from './batch-helpers.ts';

let server: OpenAITestServer;
beforeAll(async () => {
  server = await startOpenAIServer({ answers: arithmetic });
});
afterAll(() => server.close());
// A test that failed midway must not leave its faults (a held batch) to the next.
beforeEach(() => server.faults.clear());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('a call interrupted while its batch runs is resumed from the saved state: the same batch is collected, nothing is submitted again', async () => {
  server.faults.set({ batchHold: true });
  const config = policyConfig(server.url, { batch: { pollIntervalMs: 20 } });
  const state = memoryState();
  const abort = new AbortController();
  const first = (async () => {
    for await (const _ of createOpenAIPolicy(config, { concurrency: 4 }).generate(batchRequests(4), params, { state, signal: abort.signal })) {
      // nothing arrives while the batch is held
    }
  })().catch((e: unknown) => e);
  while (!(state.value as { batches?: { batchId?: string }[] } | undefined)?.batches?.[0]?.batchId) await sleep(10);
  // Interrupted while it polls the running batch.
  while (server.batches()[0].status !== 'in_progress') await sleep(10);
  await sleep(60);
  abort.abort();
  expect(await first).toBeInstanceOf(AbortedError);
  expect(server.batches()).toHaveLength(1);
  expect(server.batches()[0].status).toBe('in_progress');

  server.faults.set({ batchHold: false });
  const generations = [];
  for await (const g of createOpenAIPolicy(config, { concurrency: 4 }).generate(batchRequests(4), params, { state })) generations.push(g);
  expect(generations).toHaveLength(12);
  expect(server.batches()).toHaveLength(1);
  expect(server.uploads()).toHaveLength(1);
  expect(server.requests.filter((r) => r.path === '/v1/chat/completions')).toHaveLength(12);
});

test('a process that died between uploading and saving the batch id finds its batch by input file instead of creating another', async () => {
  const config = policyConfig(server.url, { batch: { pollIntervalMs: 20 } });
  // The first attempt's answer to the create request is lost: the batch exists, the client never learns its id.
  server.faults.set({ lostResponse: { times: 1 }, paths: ['/v1/batches'] });
  const before = server.batches().length;
  const generations = [];
  for await (const g of createOpenAIPolicy(config, { concurrency: 4 }).generate(batchRequests(2), params, { state: memoryState() })) generations.push(g);
  server.faults.clear();
  expect(generations).toHaveLength(6);
  expect(server.batches().length - before).toBe(1);
});

test('a batch cancelled on the server: its partial results are merged and the rest is sent in a new batch', async () => {
  server.faults.set({ batchHold: true });
  const config = policyConfig(server.url, { batch: { pollIntervalMs: 20 } });
  const before = server.batches().length;
  const generations: unknown[] = [];
  const run = (async () => {
    for await (const g of createOpenAIPolicy(config, { concurrency: 4 }).generate(batchRequests(4), params, { state: memoryState() })) generations.push(g);
  })();
  while (server.batches().length === before || server.batches().at(-1)!.status !== 'in_progress') await sleep(10);
  const held = server.batches().at(-1)!;
  const cancel = await fetch(`${server.url}/batches/${held.id}/cancel`, { method: 'POST' });
  expect(cancel.status).toBe(200);
  server.faults.set({ batchHold: false });
  await run;
  expect(held.status).toBe('cancelled');
  expect(generations).toHaveLength(12);
  expect(server.batches().length - before).toBe(2);
  expect(server.batches().at(-1)!.request_counts.total).toBe(12);
});
