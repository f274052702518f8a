import type { PolicyConfig, RunConfig } from '../config/schema.ts';
import { ConfigError } from '../errors.ts';
import { basePolicyRef, teacherPolicyConfig } from '../policy/create.ts';
import type { PromptCounter } from '../pricing/tokens.ts';
import type { Problem } from '../schema/problem.ts';
import { trainBaseModel } from '../trainer/create.ts';
import { configCost, evalSamplingParams, trainSamplingParams } from './params.ts';
import type { StoredDraws } from './plan-stored.ts';
import { renderPrompt } from './prompt.ts';
import { sampleCap, samplingPlanOf } from './sampling/strategy.ts';
import { survivalFilter } from './survivors.ts';

export type PlanStage = 'eval' | 'sample' | 'rationalize';

/** What a stage, or a whole run, will ask for. */
export interface PlanFigures {
  /** HTTP requests to the policy's server (0 for the embedded model, sampled in-process). */
  requests: number;
  samples: number;
  promptTokens: number;
  /** Every sample at its `maxTokens`: an upper bound, a sample may stop sooner. */
  completionTokens: number;
  /** On resume: the completion tokens at the mean length of the stored samples (at most the bound); null when none is stored. */
  completionTokensAtObservedMean: number | null;
  /** Null when a model's price is unknown. */
  costUsd: number | null;
}

/** What one sampling stage of one round will ask for, before anything is sent. */
export interface StagePlan extends PlanFigures {
  stage: PlanStage;
  model: string;
  problems: number;
  /** `exact`: the run asks for exactly this; `at most`: it depends on verdicts not known before running. */
  bound: 'exact' | 'at most';
  notes: string[];
}

export interface RoundCostPlan {
  round: number;
  stages: StagePlan[];
}

/** How a model's prompt tokens were counted. */
export interface TokenizerUse {
  model: string;
  method: string;
  exact: boolean;
}

export interface RunPlan extends PlanFigures {
  /** Whether every stage's figures are exact (false when any is "at most"). */
  exact: boolean;
  rounds: RoundCostPlan[];
  tokenizers: TokenizerUse[];
  notes: string[];
}

export interface PlanInput {
  config: RunConfig;
  /** The train problems the run samples (after the contamination guard dropped copies of eval problems). */
  train: readonly Problem[];
  eval: readonly Problem[];
  /** Whether the config trains a next policy (`train.type` other than none). */
  trains: boolean;
  /** What a resumed run directory already holds; absent for a new run. */
  stored?: StoredDraws;
  /** The prompt counter of each model the plan names. */
  counterFor: (model: string) => PromptCounter;
}

/** The model ids a plan needs prompt counters for, before planning (counters load asynchronously). */
export function plannedModels(config: RunConfig, trains: boolean, stored?: StoredDraws): string[] {
  const models = new Set<string>();
  const last = trains ? config.rounds : 0;
  for (let round = 0; round <= last; round++) {
    models.add(studentModel(config, round, stored));
    const teacher = teacherOf(config, round);
    if (teacher) models.add(teacher.model);
  }
  return [...models];
}

/**
 * The requests, samples, tokens and cost a run would spend, round by round and stage by stage, as
 * the run loop would draw them: eval (eval.k per eval problem), sample (the train split by the
 * sampling strategy, by the teacher where it samples), rationalize (at most: every problem with a
 * gold answer failing). Stored samples of a resumed run are left out, as the run would not ask again.
 */
export function planRun(input: PlanInput): RunPlan {
  const { config, stored } = input;
  const last = input.trains ? config.rounds : 0;
  const notes: string[] = [];
  const rounds: RoundCostPlan[] = [];
  for (let round = 0; round <= last; round++) {
    const student = { policy: config.policy, model: studentModel(config, round, stored) };
    const stages: StagePlan[] = [];
    if (input.eval.length) {
      stages.push(planStage(input, { round, stage: 'eval', sampler: student, problems: input.eval, perProblem: config.eval.k, exact: true, together: true, maxTokens: evalSamplingParams(config).maxTokens, hinted: false }));
    }
    const collect = round < last || (round === 0 && !input.trains);
    if (collect && !stored?.committed.has(round)) {
      const sampler = teacherOf(config, round) ?? student;
      const plan = samplingPlanOf(config.sampling);
      const maxTokens = trainSamplingParams(config).maxTokens;
      const sample = planStage(input, { round, stage: 'sample', sampler, problems: input.train, perProblem: sampleCap(plan), exact: plan.strategy === 'fixed', together: plan.strategy === 'fixed', maxTokens, hinted: false });
      if (plan.strategy !== 'fixed') sample.notes.push(`sampling.strategy ${plan.strategy}: at most ${sampleCap(plan)} per problem (sampleCap); how many depends on verdicts`);
      stages.push(sample);
      if (config.rationalize.enabled && survivalFilter(config) === 'verified') {
        const gold = input.train.filter((p) => p.answer !== undefined && p.answer !== '');
        const rationalize = planStage(input, { round, stage: 'rationalize', sampler, problems: gold, perProblem: config.rationalize.k, exact: false, together: true, maxTokens, hinted: true });
        rationalize.notes.push(`only problems no sample solves are rationalized: worst case, all ${gold.length} with a gold answer`);
        stages.push(rationalize);
      }
    }
    rounds.push({ round, stages });
  }
  const all = rounds.flatMap((r) => r.stages);
  const plan: RunPlan = {
    requests: sum(all, (s) => s.requests),
    samples: sum(all, (s) => s.samples),
    promptTokens: sum(all, (s) => s.promptTokens),
    completionTokens: sum(all, (s) => s.completionTokens),
    completionTokensAtObservedMean: all.some((s) => s.completionTokensAtObservedMean !== null) ? sum(all, (s) => s.completionTokensAtObservedMean ?? s.completionTokens) : null,
    costUsd: all.some((s) => s.costUsd === null) ? null : sum(all, (s) => s.costUsd ?? 0),
    exact: all.every((s) => s.bound === 'exact'),
    rounds,
    tokenizers: plannedModels(config, input.trains, stored).map((model) => {
      const counter = input.counterFor(model);
      return { model, method: counter.method, exact: counter.exact };
    }),
    notes,
  };
  const unpriced = [...new Set(all.filter((s) => s.costUsd === null).map((s) => s.model))];
  if (unpriced.length) {
    if (config.budget.maxCostUsd !== undefined) {
      throw new ConfigError(`budget.maxCostUsd is set, but the price of model ${unpriced.join(', ')} is not known (not in the built-in table); give policy.pricing: {input, output} in USD per million tokens`);
    }
    notes.push(`cost unknown: no price for ${unpriced.join(', ')} (not in the built-in table); give policy.pricing: {input, output} in USD per million tokens`);
  }
  notes.push(...budgetNotes(config, plan, stored));
  return plan;
}

interface Sampler {
  policy: PolicyConfig;
  model: string;
}

interface StageRequest {
  round: number;
  stage: PlanStage;
  sampler: Sampler;
  problems: readonly Problem[];
  perProblem: number;
  /** Whether the stage draws exactly `perProblem` of each problem. */
  exact: boolean;
  /** Whether each problem's samples are asked for at once (a fixed plan), so `n` can carry them in one request. */
  together: boolean;
  maxTokens: number;
  hinted: boolean;
}

function planStage(input: PlanInput, request: StageRequest): StagePlan {
  const { config, stored } = input;
  const { sampler, round, stage, perProblem, hinted } = request;
  const counter = input.counterFor(sampler.model);
  const policy = sampler.policy;
  const chat = policy.type !== 'openai' || policy.mode === 'chat';
  const perRequest = policy.type === 'openai' && policy.batch === false && policy.n !== 'fanout' && request.together;
  const notes: string[] = [];
  let requests = 0;
  let samples = 0;
  let promptTokens = 0;
  let storedSamples = 0;
  let promptIfFannedOut = 0;
  for (const problem of request.problems) {
    const have = stored?.indicesOf(round, stage === 'eval' ? 'eval' : 'train', hinted, problem.id);
    const missing: number[] = [];
    for (let index = 0; index < perProblem; index++) if (!have?.has(index)) missing.push(index);
    storedSamples += perProblem - missing.length;
    if (missing.length === 0) continue;
    const prompt = renderPrompt(config, problem, hinted);
    const tokens = chat ? counter.chat(prompt.messages) : counter.text(prompt.text);
    // With `n`, a request's prompt is paid once for all its choices.
    const calls = perRequest ? consecutiveRuns(missing) : missing.length;
    samples += missing.length;
    requests += calls;
    promptTokens += tokens * calls;
    promptIfFannedOut += tokens * missing.length;
  }
  if (policy.type === 'embedded') {
    notes.push('embedded model: sampled in-process, no requests');
    requests = 0;
  } else if (policy.batch !== false) {
    notes.push('policy.batch: one Batch API line per sample, plus file upload, batch create and polling calls');
  } else if (policy.n === 'auto' && request.together) {
    notes.push(`policy.n auto: counted as one request per problem (the server honours n); if it ignores n, up to ${samples} requests and ${promptIfFannedOut} prompt tokens (one per sample)`);
  } else if (policy.n !== 'fanout' && !request.together) {
    notes.push('requests: at most one per sample (an adaptive strategy asks as verdicts come in; with n several samples of a problem may share one)');
  }
  if (storedSamples) notes.push(`${storedSamples} samples already stored (not asked again)`);
  const completionTokens = samples * request.maxTokens;
  const mean = stored?.meanCompletion[stage === 'eval' ? 'eval' : 'train'];
  const completionTokensAtObservedMean = mean === undefined ? null : Math.min(completionTokens, Math.round(mean * samples));
  const cost = configCost({ policy }, sampler.model)({ prompt: promptTokens, completion: completionTokens });
  return { stage, model: sampler.model, problems: request.problems.length, requests, samples, promptTokens, completionTokens, completionTokensAtObservedMean, costUsd: cost, bound: request.exact ? 'exact' : 'at most', notes };
}

/** Requests for a problem's missing indices with `n`: one per run of consecutive indices (as the OpenAI policy sends them). */
function consecutiveRuns(indices: readonly number[]): number {
  let runs = 0;
  for (let i = 0; i < indices.length; i++) if (i === 0 || indices[i] !== indices[i - 1] + 1) runs++;
  return runs;
}

/**
 * The model round `round` evaluates: the base model in round 0; later, the model a resumed run
 * recorded, else a name for the fine-tune not made yet, priced as the trainer's fine-tunes are
 * (`ft:<base>` for OpenAI fine-tuning).
 */
function studentModel(config: RunConfig, round: number, stored?: StoredDraws): string {
  const base = basePolicyRef(config).model;
  if (round === 0) return base;
  const recorded = stored?.policies[round]?.model;
  if (recorded) return recorded;
  if (config.train.type === 'openai') return `ft:${trainBaseModel(config) ?? base}`;
  return config.policy.type === 'embedded' ? 'embedded' : `round-${round} fine-tune of ${trainBaseModel(config) ?? base}`;
}

/** The teacher sampling round `round`'s training data, when one does. */
function teacherOf(config: RunConfig, round: number): Sampler | undefined {
  const policy = teacherPolicyConfig(config);
  if (!policy || !config.teacher) return undefined;
  if ((config.teacher.rounds ?? 'every') !== 'every' && round !== 0) return undefined;
  return { policy, model: basePolicyRef({ ...config, policy }).model };
}

/** Where the budget would stop the run before the plan is done (stored spend counted, as the run counts it). */
function budgetNotes(config: RunConfig, plan: RunPlan, stored?: StoredDraws): string[] {
  const { maxSamples, maxTokens, maxCostUsd } = config.budget;
  const spent = stored?.spend ?? { samples: 0, promptTokens: 0, completionTokens: 0, costUsd: 0 };
  const notes: string[] = [];
  const samples = spent.samples + plan.samples;
  if (maxSamples !== undefined && samples > maxSamples) notes.push(`budget.maxSamples ${maxSamples}: the run stops at the cap (${samples} samples planned${spent.samples ? `, ${spent.samples} stored` : ''})`);
  const tokens = spent.promptTokens + spent.completionTokens + plan.promptTokens + plan.completionTokens;
  if (maxTokens !== undefined && tokens > maxTokens) notes.push(`budget.maxTokens ${maxTokens}: the run may stop at the cap (up to ${tokens} tokens planned, stored included)`);
  if (maxCostUsd !== undefined && plan.costUsd !== null && plan.costUsd + (spent.costUsd ?? 0) > maxCostUsd) notes.push(`budget.maxCostUsd ${maxCostUsd}: the run may stop at the cap (up to $${(plan.costUsd + (spent.costUsd ?? 0)).toFixed(4)} planned, stored included)`);
  return notes;
}

function sum<T>(items: readonly T[], of: (item: T) => number): number {
  return items.reduce((total, item) => total + of(item), 0);
}
