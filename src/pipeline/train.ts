import { existsSync } from 'node:fs';
import type { PolicyRef } from '../schema/training.ts';
import type { StateCell } from '../store/run-store.ts';
import type { Trainer } from '../trainer/trainer.ts';
import { buildPairs, DEFAULT_PAIRS, pairProvenance, preferenceLine } from './pairs.ts';
import { renderPrompt } from './prompt.ts';
import type { RunSetting } from './round.ts';
import type { AdapterServing } from './serve.ts';
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
  /** `train.serve`: the trained adapter is loaded into the policy's servers before the next round samples it. */
  serving?: AdapterServing;
  signal?: AbortSignal;
}

/**
 * Fine-tunes the next policy on a round's dataset (and serves it, with `train.serve`); with no
 * examples the current policy carries on.
 */
export async function trainNextPolicy(options: TrainOptions): Promise<PolicyRef> {
  const { round, reporter, examples, start, serving } = options;
  if (examples === 0) {
    reporter.emit({ type: 'log', message: `round ${round}: nothing to train on, so no fine-tune; the next round keeps ${options.current.model}` });
    return options.current;
  }
  const trained =
    (await serving?.trained(round)) ??
    (await runStage(reporter, round, 'train', { total: 0, label: `train on ${examples} examples from ${start.model}` },
      () => options.trainer.train({
        datasetPath: options.datasetPath, examples, base: options.base, start, round: round + 1, outDir: options.outDir,
        state: options.state, signal: options.signal,
        onProgress: (p) => reporter.emit({ type: 'stage-progress', round, stage: 'train', done: p.done ?? 0, total: p.total ?? 0, message: p.message ?? (p.total ? undefined : p.stage) }),
      }),
      (next) => `→ ${next.model}`));
  return serving ? serving.serve(round, trained, options.signal) : trained;
}

/**
 * What round `round` trains on: its chat dataset, or for `method: dpo` its preference pairs
 * (written to `pairs.jsonl` in OpenAI's format, and never rewritten once training started on them).
 */
export async function trainingSet(setting: RunSetting, round: number, examples: number): Promise<{ datasetPath: string; examples: number }> {
  const { store, config } = setting;
  const layout = store.layout.round(round);
  const train = config.train;
  if (train.type !== 'openai' || train.method !== 'dpo') return { datasetPath: layout.dataset, examples };
  if (existsSync(layout.pairs) && (await store.datasetCommitted(round))) {
    return { datasetPath: layout.pairs, examples: await store.readPairCount(round) };
  }
  const [samples, verdicts] = await Promise.all([store.samples(round, 'train').load(), store.verdicts(round, 'train').load()]);
  const pairs = buildPairs({
    problems: setting.trainProblems, evalIds: setting.evalIds, samples: [...samples.values()], verdicts,
    render: (problem) => renderPrompt(config, problem).messages, options: train.pairs ?? DEFAULT_PAIRS, seed: config.seed,
  });
  await store.writePairs(round, pairs.map((pair) => preferenceLine(pair, 'openai')), pairs.map((pair, i) => pairProvenance(pair, i + 1)));
  setting.emit({ type: 'log', message: `round ${round}: ${pairs.length} preference pairs → ${layout.pairs}` });
  return { datasetPath: layout.pairs, examples: pairs.length };
}
