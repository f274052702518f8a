import { existsSync } from 'node:fs';
import { RunStoreError } from '../errors.ts';
import { computeGroupMetrics, computeSplitMetrics } from '../metrics/split.ts';
import type { Problem } from '../schema/problem.ts';
import type { Stage } from '../schema/summary.ts';
import type { VerdictRecord, VerdictStatus } from '../schema/verdict.ts';
import { listRoundDirs } from '../store/run-reader.ts';
import type { Phase, RunStore } from '../store/run-store.ts';
import type { VerifierResolver } from '../verify/resolver.ts';
import type { EventSink } from './events.ts';
import { runStage } from './stage.ts';
import { healthOf, hintedUndecided, verifierFailure } from './verdict-health.ts';
import { verifyCandidates } from './verify.ts';

export interface RejudgeOptions {
  store: RunStore;
  trainProblems: readonly Problem[];
  evalProblems: readonly Problem[];
  problemsById: ReadonlyMap<string, Problem>;
  resolver: VerifierResolver;
  concurrency: number;
  emit: EventSink;
  /** Rounds to re-judge; every round directory when absent. */
  rounds?: readonly number[];
  /** Splits to re-judge; both when absent. */
  phases?: readonly Phase[];
  /** Inside `run --resume`, which selects the survivors of rounds not trained yet right after. */
  resuming: boolean;
}

/** What re-judging one round's split did: how many `error` verdicts were judged again, and what they are now. */
export interface RejudgedSplit {
  round: number;
  phase: Phase;
  rejudged: number;
  now: Record<VerdictStatus, number>;
}

/**
 * Judges every stored `error` verdict of the chosen rounds and splits again (after the cause, a
 * sandbox that would not start or a verifier that timed out, was fixed). Each new verdict is
 * appended below the one it replaces, which stays in the file, marked `rejudged`. The metrics of
 * each round are then recomputed from the latest verdicts: train-stats.json (the selection itself,
 * survivors and dataset, is left alone: a dataset that went to training never changes) and the
 * round's summary.json.
 */
export async function rejudgeErrors(options: RejudgeOptions): Promise<RejudgedSplit[]> {
  const { store } = options;
  const rounds = (await listRoundDirs(store.layout.dir)).filter((round) => !options.rounds || options.rounds.includes(round));
  const done: RejudgedSplit[] = [];
  for (const round of rounds) {
    let changed = false;
    for (const phase of options.phases ?? (['eval', 'train'] as const)) {
      const split = await rejudgeSplit(options, round, phase);
      if (!split) continue;
      done.push(split);
      changed = true;
      if (phase === 'train' && split.now.correct > 0) await sayWhatHappensToSelection(options, round, split.now.correct);
    }
    if (changed) await recomputeRoundMetrics(options, round);
  }
  return done;
}

async function rejudgeSplit(options: RejudgeOptions, round: number, phase: Phase): Promise<RejudgedSplit | undefined> {
  const { store } = options;
  const sink = store.verdicts(round, phase);
  const errors = [...(await sink.load()).values()].filter((v) => v.status === 'error');
  if (errors.length === 0) return undefined;
  const samples = await store.samples(round, phase).load();
  const stage: Stage = phase === 'eval' ? 'eval' : 'verify';
  const judged = await runStage(
    { emit: options.emit },
    round,
    stage,
    { total: errors.length, label: `re-judge ${errors.length} ${phase} error verdicts` },
    () => {
      const at = new Date().toISOString();
      const candidates = errors.map((verdict) => {
        const sample = samples.get(verdict.sampleId);
        if (!sample) throw new RunStoreError('RUN_MISMATCH', `round ${round}: the ${phase} verdict of sample ${verdict.sampleId} has no stored sample to judge again`);
        return { problemId: verdict.problemId, text: sample.text };
      });
      return verifyCandidates(candidates, {
        problems: options.problemsById,
        resolver: options.resolver,
        concurrency: options.concurrency,
        onProgress: (done, total) => options.emit({ type: 'stage-progress', round, stage, done, total }),
        async onVerdict(position, verdict) {
          const old = errors[position];
          const record: VerdictRecord = { ...verdict, sampleId: old.sampleId, problemId: old.problemId, round, index: old.index, hinted: old.hinted, rejudged: { at, previous: old.status } };
          await sink.append([record]);
        },
      });
    },
    (list) => `re-judged ${list.length}: ${statusText(tally(list))}`,
  );
  return { round, phase, rejudged: judged.length, now: tally(judged) };
}

function tally(verdicts: readonly { status: VerdictStatus }[]): Record<VerdictStatus, number> {
  const counts: Record<VerdictStatus, number> = { correct: 0, incorrect: 0, unparseable: 0, error: 0 };
  for (const { status } of verdicts) counts[status]++;
  return counts;
}

const statusText = (counts: Record<VerdictStatus, number>) => `${counts.correct} correct, ${counts.incorrect} incorrect, ${counts.unparseable} unparseable, ${counts.error} error`;

/** A round's selection is redone only while its dataset has not gone to training. */
async function sayWhatHappensToSelection(options: RejudgeOptions, round: number, nowCorrect: number): Promise<void> {
  const samples = `${nowCorrect} sample${nowCorrect === 1 ? '' : 's'}`;
  if (await options.store.datasetCommitted(round)) {
    options.emit({
      type: 'log',
      message: `round ${round}: its dataset went to training already and is kept as it was: ${samples} judged correct now ${nowCorrect === 1 ? 'is' : 'are'} counted in its metrics, not trained on`,
    });
  } else if (existsSync(options.store.layout.round(round).trainStats) && !options.resuming) {
    options.emit({ type: 'log', message: `round ${round}: has not trained yet; starloop run --resume selects its survivors again, with the ${samples} judged correct now` });
  }
}

/** The latest verdict of each sample of a round's split. */
async function latestVerdicts(store: RunStore, round: number, phase: Phase): Promise<VerdictRecord[]> {
  return [...(await store.verdicts(round, phase).load()).values()];
}

async function recomputeRoundMetrics(options: RejudgeOptions, round: number): Promise<void> {
  const { store } = options;
  const selection = await store.readSelection(round);
  let trainStats = selection?.stats;
  if (trainStats) {
    const verdicts = await latestVerdicts(store, round, 'train');
    const plain = verdicts.filter((v) => !v.hinted && v.index < trainStats!.k);
    trainStats = { ...trainStats, ...computeSplitMetrics(options.trainProblems, plain, trainStats.k), ...hintedUndecided(healthOf(verdicts.filter((v) => v.hinted))) };
    await store.updateTrainStats(round, trainStats);
  }
  const summary = await store.readSummary(round);
  if (!summary) return;
  let evalStats = summary.eval;
  if (evalStats) {
    const k = evalStats.k;
    const verdicts = (await latestVerdicts(store, round, 'eval')).filter((v) => v.index < k);
    const groups = computeGroupMetrics(options.evalProblems, verdicts, k);
    evalStats = { ...evalStats, ...computeSplitMetrics(options.evalProblems, verdicts, k), ...(groups ? { byGroup: groups } : {}) };
  }
  await store.writeSummary({ ...summary, ...(summary.train && trainStats ? { train: trainStats } : {}), ...(evalStats ? { eval: evalStats } : {}) });
}

/** Why the chosen rounds' verdicts still cannot be trusted (the rule of a run's stages), or undefined. */
export async function stillFailing(options: Pick<RejudgeOptions, 'store' | 'rounds' | 'phases'>): Promise<string | undefined> {
  const { store } = options;
  for (const round of (await listRoundDirs(store.layout.dir)).filter((r) => !options.rounds || options.rounds.includes(r))) {
    for (const phase of options.phases ?? (['eval', 'train'] as const)) {
      const verdicts = await latestVerdicts(store, round, phase);
      const stages: [Stage, VerdictRecord[]][] =
        phase === 'eval' ? [['eval', verdicts]] : [['verify', verdicts.filter((v) => !v.hinted)], ['rationalize', verdicts.filter((v) => v.hinted)]];
      for (const [stage, list] of stages) {
        const failure = verifierFailure(list, { round, stage });
        if (failure) return failure;
      }
    }
  }
  return undefined;
}
