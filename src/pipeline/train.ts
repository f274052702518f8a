import type { PolicyRef } from '../schema/training.ts';
import type { StateCell } from '../store/run-store.ts';
import type { Trainer } from '../trainer/trainer.ts';
import type { StageReporter } from './stage.ts';
import { runStage } from './stage.ts';

export interface TrainOptions {
  trainer: Trainer;
  round: number;
  datasetPath: string;
  examples: number;
  /** The run's base policy, as the trainer should name it (e.g. `train.base`). */
  base: PolicyRef;
  /** Where this fine-tune starts: the base (STaR, ReST-EM) or the policy that sampled this round. */
  start: PolicyRef;
  /** The policy that sampled this round: kept when there is nothing to train on. */
  current: PolicyRef;
  outDir: string;
  state: StateCell;
  reporter: StageReporter;
  signal?: AbortSignal;
}

/** Fine-tunes the next policy on a round's dataset; with no examples the current policy carries on. */
export async function trainNextPolicy(options: TrainOptions): Promise<PolicyRef> {
  const { round, reporter, examples, start } = options;
  if (examples === 0) {
    reporter.emit({ type: 'log', message: `round ${round}: no survivors, so no fine-tune; the next round keeps ${options.current.model}` });
    return options.current;
  }
  return runStage(reporter, round, 'train', { total: 0, label: `train on ${examples} examples from ${start.model}` },
    () => options.trainer.train({
      datasetPath: options.datasetPath, examples, base: options.base, start, round: round + 1, outDir: options.outDir,
      state: options.state, signal: options.signal,
      onProgress: (p) => reporter.emit({ type: 'stage-progress', round, stage: 'train', done: p.done ?? 0, total: p.total ?? 0, message: p.message ?? (p.total ? undefined : p.stage) }),
    }),
    (next) => `→ ${next.model}`);
}
