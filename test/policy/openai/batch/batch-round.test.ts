import { afterAll, beforeAll, expect, test } from 'vitest';
import { OpenAIPolicyConfig } from '../../../../src/config/schema.ts';
import { createOpenAIPolicy } from '../../../../src/policy/openai/index.ts';
import type { PolicyNotice } from '../../../../src/policy/policy.ts';
import { startOpenAIServer, type OpenAITestServer } from '../../../helpers/openai-server.ts';
import { arithmetic, params, policyConfig } from '../../../helpers/openai-policy-setup.ts';
import { batchRequests, inputIds, memoryState } from './batch-helpers.ts';

let server: OpenAITestServer;
beforeAll(async () => {
  server = await startOpenAIServer({ answers: arithmetic });
});
afterAll(() => server.close());

test('policy.batch samples through one batch: one line per sample named by its id, seeded as fan-out, merged as generations', async () => {
  const policy = createOpenAIPolicy(policyConfig(server.url, { batch: { pollIntervalMs: 20 } }), { concurrency: 4 });
  const notices: PolicyNotice[] = [];
  const state = memoryState();
  const generations = [];
  for await (const g of policy.generate(batchRequests(4), params, { state, onNotice: (n) => notices.push(n) })) generations.push(g);

  expect(generations).toHaveLength(12);
  const keys = generations.map((g) => `${g.key}#${g.index}`);
  expect(new Set(keys).size).toBe(12);
  for (const g of generations) {
    expect(g.text).toMatch(/The answer is/);
    expect(g.usage.completionTokens).toBeGreaterThan(0);
    expect(g.model).toBe('scripted-base');
  }

  // One upload with purpose batch, one batch, no request outside it.
  const [batch] = server.batches();
  expect(server.batches()).toHaveLength(1);
  expect(batch.status).toBe('completed');
  expect(batch.endpoint).toBe('/v1/chat/completions');
  expect(server.uploads().map((u) => u.purpose)).toEqual(['batch']);
  const ids = await inputIds(server.uploads(), batch.input_file_id);
  expect(ids.sort()).toEqual(batchRequests(4).flatMap((r) => r.indices.map((i) => r.idOf!(i))).sort());
  const lines = server.requests.filter((r) => r.path === '/v1/chat/completions');
  expect(lines).toHaveLength(12);
  expect(lines.every((r) => r.batch === batch.id && r.n === undefined)).toBe(true);
  expect(lines.map((r) => r.seed).sort()).toEqual([1000, 1000, 1000, 1001, 1001, 1001, 1002, 1002, 1002, 1003, 1003, 1003]);

  // The state remembers the batch as collected; progress was reported.
  expect(state.value).toEqual({ batches: [expect.objectContaining({ batchId: batch.id, inputFileId: batch.input_file_id, requests: 12, done: true })] });
  expect(notices.some((n) => n.message.includes(`batch ${batch.id}: completed, 12/12 done`))).toBe(true);
});

test('in completions mode the batch goes to /v1/completions with the prompt text, read from choices[].text', async () => {
  const text = 'Q: What is 100 - 58?\nA: The answer is 42.\n\nQ: What is 9 * 7?\nA:';
  const before = server.batches().length;
  const policy = createOpenAIPolicy(policyConfig(server.url, { mode: 'completions', batch: { pollIntervalMs: 20 } }), { concurrency: 2 });
  const generations = [];
  for await (const g of policy.generate([{ key: 'p', text, messages: [], indices: [0, 1], idOf: (i: number) => ['a', 'b'][i] }], params, { state: memoryState() })) generations.push(g);

  const batch = server.batches()[before];
  expect(server.batches().length - before).toBe(1);
  expect(batch.endpoint).toBe('/v1/completions');
  const lines = server.requests.filter((r) => r.batch === batch.id);
  expect(lines.map((r) => [r.path, r.prompt])).toEqual([
    ['/v1/completions', text],
    ['/v1/completions', text],
  ]);
  expect(generations.map((g) => g.index).sort()).toEqual([0, 1]);
  for (const g of generations) expect(g.text).toMatch(/The answer is/);
});

test('policy.batch with several endpoints is refused at config time, naming the key', () => {
  const result = OpenAIPolicyConfig.safeParse({ type: 'openai', model: 'm', batch: true, endpoints: [{ baseURL: server.url }, { baseURL: server.url }] });
  expect(result.success).toBe(false);
  expect(result.error!.issues).toEqual([expect.objectContaining({ path: ['batch'], message: expect.stringMatching(/^policy\.batch sends every request to one server/) })]);
});
