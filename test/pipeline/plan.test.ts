import { expect, test } from 'vitest';
import { RunConfig } from '../../src/config/schema.ts';
import { ConfigError } from '../../src/errors.ts';
import { planRun, plannedModels, type PlanInput } from '../../src/pipeline/plan.ts';
import type { StoredDraws } from '../../src/pipeline/plan-stored.ts';
import { promptCounter, type PromptCounter } from '../../src/pricing/tokens.ts';
import type { Problem } from '../../src/schema/problem.ts';

const problems: Problem[] = Array.from({ length: 3 }, (_, i) => ({ id: `p${i}`, prompt: `What is ${i} + ${i}? Show the steps.`, answer: String(2 * i), meta: {} }));
const openai = { type: 'openai', baseURL: 'http://127.0.0.1:1/v1', model: 'gpt-4o-mini' };

function configOf(input: Record<string, unknown>): RunConfig {
  return RunConfig.parse({ problems: { train: 'train.jsonl' }, rationalize: { enabled: false }, ...input });
}

async function plan(config: RunConfig, extra: Partial<PlanInput> = {}) {
  const trains = config.train.type !== 'none';
  const counters = new Map<string, PromptCounter>();
  for (const model of plannedModels(config, trains, extra.stored)) counters.set(model, await promptCounter(model));
  return planRun({ config, train: problems, eval: [], trains, counterFor: (model) => counters.get(model)!, ...extra });
}

function storedOf(indices: Record<string, number[]>): StoredDraws {
  return {
    indicesOf: (round, phase, hinted, problemId) => (round === 0 && phase === 'train' && !hinted && indices[problemId] ? new Set(indices[problemId]) : undefined),
    committed: new Set(),
    policies: [],
    spend: { samples: 0, promptTokens: 0, completionTokens: 0, costUsd: 0 },
    meanCompletion: { train: 10.4 },
  };
}

test('with n, a problem is one request per run of missing indices; fanned out, one per sample; the prompt is paid per request', async () => {
  const stored = storedOf({ p0: [0, 2], p1: [0, 1, 2, 3] });
  const native = await plan(configOf({ policy: { ...openai, n: 'native' }, sampling: { k: 4 } }), { stored });
  const fanout = await plan(configOf({ policy: { ...openai, n: 'fanout' }, sampling: { k: 4 } }), { stored });
  // p0 lacks 1 and 3 (two runs), p1 nothing, p2 all four (one run).
  expect(native.rounds[0].stages[0]).toMatchObject({ stage: 'sample', requests: 3, samples: 6, bound: 'exact' });
  expect(fanout.rounds[0].stages[0]).toMatchObject({ stage: 'sample', requests: 6, samples: 6 });
  const perPrompt = (await promptCounter('gpt-4o-mini')).chat([{ role: 'user', content: problems[0].prompt as string }]);
  expect(native.promptTokens).toBe(3 * perPrompt);
  expect(fanout.promptTokens).toBe(6 * perPrompt);
  expect(native.rounds[0].stages[0].notes).toContain('6 samples already stored (not asked again)');
  // The stored samples' mean length: 6 more samples of about 10.4 tokens each.
  expect(native.rounds[0].stages[0].completionTokensAtObservedMean).toBe(62);
  expect(native.completionTokensAtObservedMean).toBe(62);
});

test('the Batch API halves the price of the same tokens; the embedded model sends no request and costs nothing', async () => {
  const plain = await plan(configOf({ policy: { ...openai, n: 'fanout' }, sampling: { k: 2 } }));
  const batch = await plan(configOf({ policy: { ...openai, batch: true }, sampling: { k: 2 } }));
  expect(batch.requests).toBe(6);
  expect(batch.costUsd!).toBeCloseTo(plain.costUsd! / 2, 12);
  const embedded = await plan(configOf({ sampling: { k: 2 } }));
  expect(embedded).toMatchObject({ requests: 0, samples: 6, costUsd: 0 });
});

test('a teacher of the first round samples round 0; later rounds sample the fine-tuned student, priced as an OpenAI fine-tune', async () => {
  const config = configOf({
    policy: openai,
    teacher: { ...openai, model: 'gpt-4o', rounds: 'first' },
    train: { type: 'openai', base: 'gpt-4o-mini' },
    rounds: 2,
    sampling: { k: 2 },
  });
  const result = await plan(config);
  expect(result.rounds.map((r) => r.stages.map((s) => `${s.stage}:${s.model}`))).toEqual([['sample:gpt-4o'], ['sample:ft:gpt-4o-mini'], []]);
  expect(result.costUsd).not.toBeNull();
});

test('adaptive strategies and rationalization are planned at their most and say so', async () => {
  const result = await plan(configOf({ policy: { ...openai, n: 'native' }, sampling: { k: 2, strategy: 'uniform', maxK: 5 }, rationalize: { enabled: true, k: 3 } }));
  const [sample, rationalize] = result.rounds[0].stages;
  expect(sample).toMatchObject({ samples: 15, requests: 15, bound: 'at most' });
  expect(rationalize).toMatchObject({ samples: 9, requests: 3, bound: 'at most' });
  expect(result.exact).toBe(false);
});

test('a cost cap with a model of unknown price is refused, as the run refuses it; without a cap the cost is null with a note', async () => {
  const unknown = { ...openai, model: 'llama-3-8b' };
  await expect(plan(configOf({ policy: unknown, budget: { maxCostUsd: 1 } }))).rejects.toThrow(ConfigError);
  const result = await plan(configOf({ policy: unknown }));
  expect(result.costUsd).toBeNull();
  expect(result.notes[0]).toMatch(/cost unknown: no price for llama-3-8b/);
  expect(result.tokenizers).toEqual([expect.objectContaining({ model: 'llama-3-8b', exact: false })]);
});
