import type { RunConfig } from '../config/schema.ts';
import { AbortedError, RunStoreError } from '../errors.ts';
import type { Policy } from '../policy/policy.ts';
import type { Problem } from '../schema/problem.ts';
import type { Sample } from '../schema/sample.ts';
import { type RoundSummary, sessionWallMs, sumStageTimings, type TokenTotals, type TrainStats } from '../schema/summary.ts';
import type { PolicyRef } from '../schema/training.ts';
import type { RunStore, Selection } from '../store/run-store.ts';
import type { Trainer } from '../trainer/trainer.ts';
import type { VerifierResolver } from '../verify/resolver.ts';
import { percent } from '../util/format.ts';
import { dropContaminatedLines } from './contamination.ts';
import { evaluatePolicy } from './evaluate.ts';
import { type EventSink, noticeEvent } from './events.ts';
import { computeSplitMetrics } from '../metrics/split.ts';
import { evalSamplingParams, trainSamplingParams, type CostFunction } from './params.ts';
import { renderPrompt } from './prompt.ts';
import { problemsToRationalize, rationalizeFailures } from './rationalize.ts';
import { sampleProblems, sumTokens } from './sample.ts';
import { type DatasetSource, selectSurvivors } from './select.ts';
import { runStage, type StageReporter } from './stage.ts';
import { countUndecided, hintedUndecided, refuseMostlyErrors, undecidedText } from './verdict-health.ts';
import { trainNextPolicy } from './train.ts';
import { verifySamples } from './verify.ts';

/** What every round of one run shares; set once by the run loop. */
export interface RunSetting {
  config: RunConfig;
  store: RunStore;
  resolver: VerifierResolver;
  trainProblems: readonly Problem[];
  evalProblems: readonly Problem[];
  problemsById: ReadonlyMap<string, Problem>;
  /** Never allowed into a training set, whatever the train file says. */
  evalIds: ReadonlySet<string>;
  datasetSource: DatasetSource;
  emit: EventSink;
  /** This process's id in the rounds' timing logs. */
  session: string;
  cost: CostFunction;
  verifyConcurrency: number;
  signal?: AbortSignal;
}

/** What round r does: evaluate `policy`; when `collect`, build a dataset with it; when `training`, train policy r+1. */
export interface RoundPlan {
  round: number;
  policy: Policy;
  ref: PolicyRef;
  collect: boolean;
  training?: { trainer: Trainer; base: PolicyRef; start: PolicyRef };
}

export interface RoundOutcome {
  summary: RoundSummary;
  /** The policy trained in this round, when it trained one. */
  next?: PolicyRef;
}

/** One round: evaluate → sample → verify → rationalize → select → train. */
export async function runRound(setting: RunSetting, plan: RoundPlan): Promise<RoundOutcome> {
  const { store } = setting;
  const { round, policy } = plan;
  const started = performance.now();
  const reporter: StageReporter = {
    emit: setting.emit,
    record: (r, stage, ms) => store.recordTiming(r, { stage, ms, session: setting.session, elapsedMs: performance.now() - started, at: new Date().toISOString() }),
  };
  reporter.emit({ type: 'round-start', round, model: policy.id });
  const evalStats = await evaluatePolicy({
    policy, round, problems: setting.evalProblems, problemsById: setting.problemsById, k: setting.config.eval.k,
    params: evalSamplingParams(setting.config), render: (problem) => renderPrompt(setting.config, problem), store,
    resolver: setting.resolver, verifyConcurrency: setting.verifyConcurrency, cost: setting.cost, reporter, signal: setting.signal,
  });
  throwIfAborted(setting.signal);

  let trainStats: TrainStats | undefined;
  let next: PolicyRef | undefined;
  if (plan.collect) {
    const selection = (await committedSelection(setting, round)) ?? (await collectTrainingData(setting, reporter, round, policy));
    trainStats = selection.stats;
    if (plan.training) {
      next = await store.readNextPolicy(round);
      if (!next) {
        next = await trainNextPolicy({
          trainer: plan.training.trainer, round, datasetPath: store.layout.round(round).dataset, examples: selection.lines.length,
          base: plan.training.base, start: plan.training.start, current: plan.ref, outDir: store.layout.round(round).trainerDir,
          state: store.trainerState(round), reporter, signal: setting.signal,
        });
        await store.writeNextPolicy(round, next);
      }
    }
  }
  const timings = await store.readTimings(round);
  const summary: RoundSummary = {
    round,
    model: policy.id,
    ...(trainStats ? { train: trainStats } : {}),
    ...(evalStats ? { eval: evalStats } : {}),
    timings: sumStageTimings(timings),
    wallMs: sessionWallMs(timings, setting.session) + (performance.now() - started),
  };
  await store.writeSummary(summary);
  reporter.emit({ type: 'round-end', summary });
  return { summary, ...(next ? { next } : {}) };
}

/**
 * The stored selection of a round whose dataset already trained a model (or is being trained on):
 * it is kept exactly as it was, whatever the resumed config asks for.
 */
async function committedSelection(setting: RunSetting, round: number): Promise<Selection | undefined> {
  const { store, config } = setting;
  if (!(await store.datasetCommitted(round))) return undefined;
  const stored = await store.readSelection(round);
  if (!stored) {
    throw new RunStoreError('RUN_MISMATCH', `round ${round} of ${store.layout.dir} sent its dataset to training, but its train-stats.json is missing (a run made by an older starloop); it cannot be resumed without rewriting that dataset`);
  }
  if (stored.stats.k !== config.sampling.k) {
    setting.emit({
      type: 'log',
      message: `round ${round}: its dataset (k=${stored.stats.k}) went to training already and is kept as it was; sampling.k=${config.sampling.k} applies from round ${round + 1}`,
    });
  }
  return stored;
}

/**
 * Builds round `round`'s fine-tuning set with `policy`: sample k per train problem, verify,
 * rationalize the problems nothing solved, keep the survivors, write the dataset.
 */
async function collectTrainingData(setting: RunSetting, reporter: StageReporter, round: number, policy: Policy): Promise<Selection> {
  const { config, store, cost } = setting;
  const problems = setting.trainProblems;
  const k = config.sampling.k;
  const progress = (stage: 'sample' | 'verify' | 'rationalize') => (done: number, total: number, tokens?: TokenTotals) =>
    reporter.emit({ type: 'stage-progress', round, stage, done, total, ...(tokens ? { tokens, costUsd: cost(tokens) } : {}) });
  const sample = (from: readonly Problem[], count: number, hinted: boolean) =>
    sampleProblems({
      sink: store.samples(round, 'train'), round, phase: 'train', policy, problems: from, k: count, params: trainSamplingParams(config),
      hinted, signal: setting.signal, render: (problem) => renderPrompt(config, problem, hinted), onProgress: progress(hinted ? 'rationalize' : 'sample'),
      onNotice: (notice) => reporter.emit(noticeEvent(notice)), state: store.batchState(round, hinted ? 'rationalize' : 'train'),
    });
  const verify = (samples: readonly Sample[], onProgress?: (done: number, total: number) => void) =>
    verifySamples({
      sink: store.verdicts(round, 'train'), round, samples, problems: setting.problemsById, resolver: setting.resolver,
      concurrency: setting.verifyConcurrency, ...(onProgress ? { onProgress } : {}),
    });

  const samples = await runStage(reporter, round, 'sample', { total: problems.length * k, label: `sample ${problems.length} problems × ${k}` },
    () => sample(problems, k, false), (drawn) => `${drawn.length} samples`);

  const { verdicts, metrics } = await runStage(reporter, round, 'verify', { total: samples.length, label: `verify ${samples.length} samples` },
    async () => {
      const list = await verify(samples, progress('verify'));
      return { verdicts: new Map(list.map((v) => [v.sampleId, v])), metrics: computeSplitMetrics(problems, list, k) };
    },
    ({ metrics }) => `pass@1 ${percent(metrics.passAt1)}  coverage ${percent(metrics.coverage)}  ${undecidedText(metrics)}`);
  refuseMostlyErrors([...verdicts.values()], { round, stage: 'verify' });

  const failed = config.rationalize.enabled ? problemsToRationalize(problems, samples, verdicts) : [];
  const rationalized = config.rationalize.enabled
    ? await runStage(reporter, round, 'rationalize', { total: failed.length * config.rationalize.k, label: `rationalize ${failed.length} failed problems` },
        () => rationalizeFailures({ config, failed, sample: (from, count) => sample(from, count, true), verify: (hinted) => verify(hinted), problemsById: setting.problemsById }),
        (r) => `${r.verdicts.filter((v) => v.status === 'correct' && !r.rejected.has(v.sampleId)).length} accepted, ${r.rejected.size} quoted the hint  ${undecidedText(countUndecided(r.verdicts))}`)
    : { samples: [], verdicts: [], rejected: new Set<string>() };
  refuseMostlyErrors(rationalized.verdicts, { round, stage: 'rationalize' });
  for (const verdict of rationalized.verdicts) verdicts.set(verdict.sampleId, verdict);

  return runStage(reporter, round, 'select', { total: problems.length, label: 'select survivors' },
    async (): Promise<Selection> => {
      const survivors = selectSurvivors({
        problems, evalIds: setting.evalIds, samples: [...samples, ...rationalized.samples], verdicts, rejected: rationalized.rejected,
        maxPerProblem: config.select.maxPerProblem, dedupe: config.select.dedupe,
      });
      const built = setting.datasetSource.build(survivors, round);
      const { dataset: { lines, provenance }, dropped: contaminatedExamples } = dropContaminatedLines(config, built, setting.evalProblems, round);
      if (contaminatedExamples) reporter.emit({ type: 'log', message: `round ${round}: left out ${contaminatedExamples} example${contaminatedExamples === 1 ? '' : 's'} whose answer contains an eval problem's text` });
      const tokens = sumTokens([...samples, ...rationalized.samples]);
      const stats: TrainStats = {
        ...metrics,
        survivors: survivors.length,
        rationalized: survivors.filter((s) => s.hinted).length,
        rationalizeAttempts: failed.length,
        datasetExamples: lines.length,
        ...hintedUndecided(rationalized.verdicts),
        contaminatedExamples,
        tokens,
        costUsd: cost(tokens),
      };
      const selection = { survivors, lines, provenance, stats };
      await store.writeSelection(round, selection);
      return selection;
    },
    ({ survivors, stats }) => `${survivors.length} survivors (${stats.rationalized} rationalized) → ${stats.datasetExamples} examples`);
}

export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new AbortedError('interrupted; run again with --resume to continue');
}
