import { expect, test } from 'vitest';
import { RunConfig } from '../../src/config/schema.ts';

const base = { problems: { train: 't.jsonl' }, policy: { type: 'openai', baseURL: 'http://127.0.0.1:1/v1', model: 'm' } };
const issues = (raw: unknown) => (RunConfig.safeParse(raw).error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`);

test('uniform and prop2diff need sampling.maxK, and prop2diff at least k', () => {
  expect(issues({ ...base, sampling: { strategy: 'uniform', correct: 2 } })).toEqual([expect.stringMatching(/^sampling\.maxK: .*needs sampling\.maxK/)]);
  expect(issues({ ...base, sampling: { strategy: 'prop2diff', k: 8, maxK: 4 } })).toEqual([expect.stringMatching(/^sampling\.maxK: .*at least sampling\.k \(8\)/)]);
  expect(issues({ ...base, sampling: { strategy: 'uniform', maxK: 64 } })).toEqual([]);
});

test('an adaptive strategy with policy.batch is refused: a batch is submitted whole', () => {
  expect(issues({ ...base, policy: { ...base.policy, batch: true }, sampling: { strategy: 'stop-after-correct' } })).toEqual([
    expect.stringMatching(/^sampling\.strategy: policy\.batch .*sampling\.strategy: fixed/),
  ]);
  expect(issues({ ...base, policy: { ...base.policy, batch: true } })).toEqual([]);
});

test('budget caps are positive', () => {
  expect(issues({ ...base, budget: { maxSamples: 0 } })).toHaveLength(1);
  expect(issues({ ...base, budget: { maxCostUsd: 2.5, maxTokens: 1000, maxSamples: 10 } })).toEqual([]);
});
