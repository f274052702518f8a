import { afterAll, beforeAll, expect, test } from 'vitest';
import { createOpenAIPolicy } from '../../../../src/policy/openai/index.ts';
import type { PolicyNotice } from '../../../../src/policy/policy.ts';
import { startOpenAIServer, type OpenAITestServer } from '../../../helpers/openai-server.ts';
import { arithmetic, params, policyConfig } from '../../../helpers/openai-policy-setup.ts';
import { batchRequests, memoryState } from './batch-helpers.ts';

let server: OpenAITestServer;
beforeAll(async () => {
  server = await startOpenAIServer({ answers: arithmetic });
});
afterAll(() => server.close());

test('a stage resumed with policy.batch off warns of the batch it submitted and never collected', async () => {
  const state = memoryState();
  await state.write({ batches: [{ inputFileId: 'file-1', batchId: 'batch-paid', requests: 12, submittedAt: '2026-11-30T00:00:00Z', done: false }] });
  const notices: PolicyNotice[] = [];
  const generations = [];
  for await (const g of createOpenAIPolicy(policyConfig(server.url), { concurrency: 4 }).generate(batchRequests(4), params, { state, onNotice: (n) => notices.push(n) })) {
    generations.push(g);
  }
  expect(generations).toHaveLength(12);
  expect(notices.filter((n) => n.level === 'warning').map((n) => n.message)).toEqual([expect.stringMatching(/batch batch-paid of 12 requests.*not collected because policy\.batch is off/)]);
});

test('a collected batch gives no warning', async () => {
  const state = memoryState();
  await state.write({ batches: [{ inputFileId: 'file-1', batchId: 'batch-done', requests: 12, submittedAt: '2026-11-30T00:00:00Z', done: true }] });
  const notices: PolicyNotice[] = [];
  for await (const _ of createOpenAIPolicy(policyConfig(server.url), { concurrency: 4 }).generate(batchRequests(4), params, { state, onNotice: (n) => notices.push(n) })) {
    // drain
  }
  expect(notices.filter((n) => n.level === 'warning')).toEqual([]);
});
