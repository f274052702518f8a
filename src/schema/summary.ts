import { z } from 'zod';

const fraction = z.number().min(0).max(1);
const count = z.number().int().nonnegative();

export const TokenTotals = z.object({ prompt: count, completion: count });
export type TokenTotals = z.infer<typeof TokenTotals>;

/** Metrics of one set of problems sampled k times each (a split, or a group within it). */
export const SplitMetrics = z.object({
  problems: count,
  samples: count,
  correct: count,
  k: count,
  /** Mean over problems of the fraction of samples that are correct. */
  passAt1: fraction,
  /** Unbiased pass@k (Chen et al. 2021), averaged over problems. */
  passAtK: fraction,
  /** Fraction of problems whose most frequent extracted answer is judged correct. */
  majAtK: fraction,
  /** Fraction of problems with at least one correct sample. */
  coverage: fraction,
});
export type SplitMetrics = z.infer<typeof SplitMetrics>;

export const TrainStats = SplitMetrics.extend({
  survivors: count,
  rationalized: count,
  rationalizeAttempts: count,
  datasetExamples: count,
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
});
export type RunReport = z.infer<typeof RunReport>;
