import { join } from 'node:path';

/** The sampling stages of a round, each with its own batches. */
export type BatchStage = 'eval' | 'train' | 'rationalize';

/** Where each file of a run directory lives. Everything under a round directory is append-only. */
export const runLayout = (runDir: string) => ({
  dir: runDir,
  manifest: join(runDir, 'manifest.json'),
  lock: join(runDir, 'run.lock'),
  ledger: join(runDir, 'ledger.json'),
  report: join(runDir, 'report.json'),
  round: (round: number) => roundLayout(join(runDir, `round-${round}`)),
});

export const roundLayout = (roundDir: string) => ({
  dir: roundDir,
  /** Train-split samples drawn with this round's policy (plain and hinted). */
  samples: join(roundDir, 'samples.jsonl'),
  verdicts: join(roundDir, 'verdicts.jsonl'),
  survivors: join(roundDir, 'survivors.jsonl'),
  /** Chat-format fine-tuning set built from the survivors. */
  dataset: join(roundDir, 'dataset.jsonl'),
  /** One line per dataset line: problem, sample, hinted, verifier. */
  provenance: join(roundDir, 'dataset.provenance.jsonl'),
  /** The train split's metrics and selection counts, written with the dataset. */
  trainStats: join(roundDir, 'train-stats.json'),
  /** Eval-split samples of this round's policy and their verdicts. */
  evalSamples: join(roundDir, 'eval.jsonl'),
  evalVerdicts: join(roundDir, 'eval-verdicts.jsonl'),
  summary: join(roundDir, 'summary.json'),
  /** One line per finished stage and process: a resumed round adds its time to what is there. */
  timings: join(roundDir, 'timings.jsonl'),
  trainerState: join(roundDir, 'trainer-state.json'),
  /** The Batch API batches a sampling stage submitted (`policy.batch`), so a resumed stage collects them. */
  batchState: (stage: BatchStage) => join(roundDir, `batch-state-${stage}.json`),
  /** The policy trained from this round's dataset (written once training succeeds). */
  nextPolicy: join(roundDir, 'next-policy.json'),
  trainerDir: join(roundDir, 'trainer'),
  /** Preference pairs a DPO fine-tune trained on (OpenAI's format), and where each came from. */
  pairs: join(roundDir, 'pairs.jsonl'),
  pairsProvenance: join(roundDir, 'pairs.provenance.jsonl'),
  /** The trained adapter's loading into the policy's servers (`train.serve`). */
  serveState: join(roundDir, 'serve-state.json'),
});
export type RunLayout = ReturnType<typeof runLayout>;
export type RoundLayout = ReturnType<typeof roundLayout>;
