import { z } from 'zod';
import { PolicyRef } from './training.ts';

export const DatasetFingerprint = z.object({
  path: z.string(),
  sha256: z.string(),
  problems: z.number().int().nonnegative(),
});

/** The keys a resumed run changed (extent or deployment keys only), with when; `null` stands for unset. */
export const ConfigChange = z.object({
  at: z.string(),
  keys: z.record(z.string(), z.object({ from: z.unknown(), to: z.unknown() })),
});
export type ConfigChange = z.infer<typeof ConfigChange>;
/** A train problem left out of the run because it copies an eval problem (`select.contamination: drop`). */
export const ContaminatedProblem = z.object({
  trainId: z.string(),
  evalId: z.string(),
  kind: z.enum(['exact', 'ngram']),
  /** Share of the eval problem's tokens inside n-grams the two share (1 for exact). */
  score: z.number().min(0).max(1),
  /** For `ngram`: the n-gram length used. */
  n: z.number().int().positive().optional(),
});
export type ContaminatedProblem = z.infer<typeof ContaminatedProblem>;

/** `manifest.json`: what a run is, so it can be resumed, reproduced and compared. No secrets. */
export const RunManifest = z.object({
  name: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  tool: z.object({ version: z.string(), gitHash: z.string().nullable() }),
  /** sha256 of the config's `computed` keys (src/config/key-classes.ts): the ones a resume may not change. */
  configHash: z.string(),
  /** The resolved config, as parsed (API keys are never in it: only the names of their variables). */
  config: z.record(z.string(), z.unknown()),
  seeds: z.object({ run: z.number().int(), sampling: z.number().int() }),
  /** The policy evaluated at each entry r (entry 0 is the base). */
  policies: z.array(PolicyRef),
  verifiers: z.record(z.string(), z.string()),
  datasets: z.object({ train: DatasetFingerprint, eval: DatasetFingerprint.optional() }),
  /** Where the rounds' fine-tuning sets came from: `survivors`, or e.g. `gold-control` for the embedded model's same-steps control. */
  datasetSource: z.string().default('survivors'),
  /**
   * The checkpoint files the config names (`policy.checkpoint`, `teacher.checkpoint`), by key: a
   * resumed run may find one at another path (its directory moved) only with the same sha256.
   */
  checkpoints: z.record(z.string(), z.object({ path: z.string(), sha256: z.string() })).optional(),
  /** Every resume that changed an extent or deployment key (`config` holds the latest values). */
  changes: z.array(ConfigChange).optional(),
  /** The train/eval contamination check at the start of the run: how many train problems it compared, which it dropped. */
  contamination: z.object({ checked: z.number().int().nonnegative(), dropped: z.array(ContaminatedProblem) }).optional(),
});
export type RunManifest = z.infer<typeof RunManifest>;
