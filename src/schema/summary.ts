import { z } from 'zod';
import { ContaminatedProblem } from './manifest.ts';

const fraction = z.number().min(0).max(1);
const count = z.number().int().nonnegative();

export const TokenTotals = z.object({ prompt: count, completion: count });
export type TokenTotals = z.infer<typeof TokenTotals>;

export const Interval = z.object({ low: fraction, high: fraction });
export type Interval = z.infer<typeof Interval>;

/** Confidence intervals of a split's rates; how they are computed is in src/metrics/intervals.ts. */
export const RateIntervals = z.object({
  confidence: fraction,
  /** Wilson score interval at the effective sample size of problems × samples (clustered by problem). */
  method: z.literal('clustered-wilson'),
  passAt1: Interval,
  passAtK: Interval,
  majAtK: Interval,
  coverage: Interval,
});
export type RateIntervals = z.infer<typeof RateIntervals>;

/**
 * Metrics of one set of problems sampled k times each (a split, or a group within it). Every
 * problem of the set is in every denominator, sampled or not. `passAt`, `intervals` and
 * `unsampledProblems` are absent from summaries written before they existed.
 */
export const SplitMetrics = z.object({
  problems: count,
  samples: count,
  correct: count,
  k: count,
  /** Mean over problems of the fraction of samples that are correct. */
  passAt1: fraction,
  /** Unbiased pass@k (Chen et al. 2021), averaged over problems. */
  passAtK: fraction,
  /** The pass@k curve: pass@j for every power of two j up to k and for k itself, keyed by j ("1", "2", "4", …). */
  passAt: z.record(z.string().regex(/^[1-9][0-9]*$/), fraction).optional(),
  /** Majority vote over k samples, as its unbiased expectation over k-subsets (src/metrics/majority.ts). */
  majAtK: fraction,
  /** Fraction of problems with at least one correct sample. */
  coverage: fraction,
  /** Samples the rates above count whose verdict is `error` (a verifier crash or time-out): each counts as failed above. Absent in summaries written before it existed. */
  errors: count.optional(),
  /** Samples with no answer the verifier could find: each counts as failed above. Absent in summaries written before it existed. */
  unparseable: count.optional(),
  intervals: RateIntervals.optional(),
  /** Problems with no plain sample at all: each counts as unsolved (0) in every rate above. */
  unsampledProblems: z.array(z.string()).optional(),
});
export type SplitMetrics = z.infer<typeof SplitMetrics>;

/**
 * How a round spent its train samples under `sampling.strategy`. With an adaptive strategy a
 * problem's later samples are drawn because its earlier ones failed, so the train rates above are
 * measured on the first `measuredOn` samples of each problem, which every problem gets whatever
 * its verdicts (k is then `measuredOn`).
 */
export const SamplingStats = z.object({
  strategy: z.enum(['fixed', 'stop-after-correct', 'uniform', 'prop2diff']),
  correct: count.optional(),
  maxK: count.optional(),
  measuredOn: count,
  samples: count,
  samplesPerProblem: z.object({ min: count, median: count, mean: z.number().nonnegative(), max: count }),
  /** Problems by their number of correct samples: {"0": problems with none, "1": …}. */
  correctPerProblem: z.record(z.string().regex(/^[0-9]+$/), count),
  /**
   * `unparseable` and `error` verdicts among every plain sample drawn; the split's own counts are
   * of each problem's first `measuredOn`. Absent from summaries written before they were kept.
   */
  unparseable: count.optional(),
  errors: count.optional(),
});
export type SamplingStats = z.infer<typeof SamplingStats>;

export const TrainStats = SplitMetrics.extend({
  survivors: count,
  /** Survivors not verified correct: kept by `select.filter: none` (imitation) or `majority`. */
  keptIncorrect: count.optional(),
  rationalized: count,
  rationalizeAttempts: count,
  datasetExamples: count,
  /** Hinted (rationalization) verdicts that are `error` or `unparseable`; the split's own counts above are of plain samples. */
  rationalizeErrors: count.optional(),
  rationalizeUnparseable: count.optional(),
  /** Absent from summaries written before strategies existed (they sampled k per problem). */
  sampling: SamplingStats.optional(),
  /** Examples left out because their answer contains an eval problem's text. */
  contaminatedExamples: count.optional(),
  tokens: TokenTotals,
  costUsd: z.number().nonnegative().nullable(),
});
export type TrainStats = z.infer<typeof TrainStats>;

export const EvalStats = SplitMetrics.extend({
  /** The same metrics per `meta.group` of the eval problems (e.g. difficulty), when they have one. */
  byGroup: z.record(z.string(), SplitMetrics).optional(),
  tokens: TokenTotals,
  costUsd: z.number().nonnegative().nullable(),
});
export type EvalStats = z.infer<typeof EvalStats>;

export const StageTimings = z.object({
  sampleMs: z.number().nonnegative().default(0),
  verifyMs: z.number().nonnegative().default(0),
  rationalizeMs: z.number().nonnegative().default(0),
  selectMs: z.number().nonnegative().default(0),
  trainMs: z.number().nonnegative().default(0),
  evalMs: z.number().nonnegative().default(0),
});
export type StageTimings = z.infer<typeof StageTimings>;

export const Stage = z.enum(['sample', 'verify', 'rationalize', 'select', 'train', 'eval']);
export type Stage = z.infer<typeof Stage>;

/**
 * A line of `timings.jsonl`: one stage's time in one process (`session`), and how long that
 * process had been working on the round when the stage ended, so wall time adds up across resumes.
 */
export const StageTiming = z.object({
  stage: Stage,
  ms: z.number().nonnegative(),
  session: z.string(),
  elapsedMs: z.number().nonnegative(),
  at: z.string(),
});
export type StageTiming = z.infer<typeof StageTiming>;

/** Wall time of a round over every session that worked on it: each session's last elapsed time, summed. */
export function sessionWallMs(timings: readonly StageTiming[], exceptSession?: string): number {
  const bySession = new Map<string, number>();
  for (const t of timings) if (t.session !== exceptSession) bySession.set(t.session, Math.max(bySession.get(t.session) ?? 0, t.elapsedMs));
  return [...bySession.values()].reduce((a, b) => a + b, 0);
}

export function sumStageTimings(timings: readonly StageTiming[]): StageTimings {
  const sum: StageTimings = { sampleMs: 0, verifyMs: 0, rationalizeMs: 0, selectMs: 0, trainMs: 0, evalMs: 0 };
  for (const { stage, ms } of timings) sum[`${stage}Ms`] += ms;
  return sum;
}

/**
 * Entry r of a run: `eval` measures policy r; `train` is the sampling done with policy r to build
 * the data that trains policy r+1 (absent on the last entry).
 */
export const RoundSummary = z.object({
  round: count,
  model: z.string(),
  train: TrainStats.optional(),
  eval: EvalStats.optional(),
  timings: StageTimings,
  wallMs: z.number().nonnegative(),
});
export type RoundSummary = z.infer<typeof RoundSummary>;

export const RunReport = z.object({
  name: z.string(),
  rounds: z.array(RoundSummary),
  /** The train problems the run left out because they copy eval problems (from the manifest). */
  contamination: z.object({ checked: count, dropped: z.array(ContaminatedProblem) }).optional(),
});
export type RunReport = z.infer<typeof RunReport>;
