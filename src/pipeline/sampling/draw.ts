import { VerdictTally } from '../../metrics/tally.ts';
import type { Policy, PolicyNotice, SamplingParams } from '../../policy/policy.ts';
import type { StateCell } from '../../store/run-store.ts';
import type { Problem } from '../../schema/problem.ts';
import type { Sample } from '../../schema/sample.ts';
import type { SamplingStats, TokenTotals } from '../../schema/summary.ts';
import type { VerdictRecord } from '../../schema/verdict.ts';
import type { RecordSink } from '../../store/record-sink.ts';
import type { VerifierResolver } from '../../verify/resolver.ts';
import { runVerifier } from '../../verify/run.ts';
import type { Budget, SampleEstimate } from '../budget.ts';
import type { RenderedPrompt } from '../prompt.ts';
import { VerdictHealth } from '../verdict-health.ts';
import { type DrawEntry, DrawIndex, State } from './draw-index.ts';
import { DrawSource } from './draw-source.ts';
import { generationsFrom, sampleOf } from './generations.ts';
import { generateOptionsOf } from '../sample.ts';
import { samplingStats } from './stats.ts';
import { Goals, type SamplingPlan, sampleCap, unbiasedPrefix } from './strategy.ts';
import { VerifierPool } from './verifier-pool.ts';

export interface DrawOptions {
  /** Where samples and their verdicts are stored (a run's round files, or plain JSONL files). */
  samples: RecordSink<Sample>;
  verdicts: RecordSink<VerdictRecord>;
  round: number;
  phase: 'train' | 'eval';
  policy: Policy;
  problems: readonly Problem[];
  params: SamplingParams;
  render: (problem: Problem) => RenderedPrompt;
  /** Rationalization: the prompt carries the gold answer as a hint. */
  hinted: boolean;
  plan: SamplingPlan;
  resolver: VerifierResolver;
  /** Verifier calls in flight. */
  verifyConcurrency: number;
  budget?: Budget;
  /** A sample's most cost (its prompt's tokens and maxTokens), for the budget. */
  estimate?: (prompt: RenderedPrompt) => SampleEstimate;
  signal?: AbortSignal;
  /** What the policy wants the user to see (an endpoint taken out, a batch's progress). */
  onNotice?: (notice: PolicyNotice) => void;
  /** Where a policy keeps requests that outlive the process (Batch API batches), so a rerun collects them. */
  state?: StateCell;
  onProgress?: (progress: DrawProgress) => void;
}

export interface DrawProgress {
  /** Samples stored (before this process and since). */
  sampled: number;
  verified: number;
  /** The most samples the plan can draw (exact for `fixed`). */
  planned: number;
  /** Tokens of the samples drawn by this process. */
  tokens: TokenTotals;
}

/** What a draw leaves in memory: per-problem counts, never the samples or verdicts themselves. */
export interface DrawOutcome {
  index: DrawIndex;
  /** Plain verdicts of each problem's first `measuredOn` samples: the unbiased basis of its rates. */
  tally: VerdictTally;
  /** Every verdict of the draw counted (not only the measured prefix), for the mostly-errors rule and the stage's counts. */
  health: VerdictHealth;
  measuredOn: number;
  samples: number;
  correct: number;
  /** Tokens of every sample of the draw, stored before or drawn now. */
  tokens: TokenTotals;
  stats: SamplingStats;
  /** The budget stopped the draw before the plan was complete. */
  budgetReached: boolean;
  /** The verdict of a stored sample of this draw; undefined for a record that is not one of its samples. */
  statusOf(sample: Pick<Sample, 'id' | 'problemId' | 'hinted' | 'index'>): 'correct' | 'wrong' | undefined;
  /** Correct samples of a problem. */
  correctOf(problemId: string): number;
}

export interface Draw {
  /** Every sample the plan wants has arrived (or the budget stopped the requests); verification may still run. */
  sampled: Promise<void>;
  done: Promise<DrawOutcome>;
}

/**
 * Draws the samples a plan wants for a set of problems and verifies them as they arrive: a bounded
 * pipeline from the policy to the verifier pool, with back-pressure both ways, so the request queue
 * and the verifiers are busy at once and nothing piles up in memory. Each sample is appended as it
 * arrives and each verdict as it is computed (after its sample), so a killed draw loses only what
 * was in flight; a rerun reads what is stored, verifies what has no verdict, and asks only for
 * what is missing. Memory is a byte per sample index and a tally per problem.
 */
export function startDraw(options: DrawOptions): Draw {
  let markSampled!: () => void;
  let failSampled!: (error: unknown) => void;
  const sampled = new Promise<void>((resolve, reject) => {
    markSampled = resolve;
    failSampled = reject;
  });
  const done = runDraw(options, () => markSampled());
  done.catch((error: unknown) => failSampled(error));
  // Whoever awaits `done` sees the failure; `sampled` must not also count as unhandled.
  sampled.catch(() => undefined);
  return { sampled, done };
}

async function runDraw(options: DrawOptions, markSampled: () => void): Promise<DrawOutcome> {
  const { plan, hinted, round, budget } = options;
  const index = new DrawIndex(options.problems, { model: options.policy.id, params: options.params, render: options.render, hinted, cap: sampleCap(plan) });
  const measuredOn = unbiasedPrefix(plan);
  const tally = new VerdictTally();
  const health = new VerdictHealth();
  const tokens: TokenTotals = { prompt: 0, completion: 0 };
  const drawnTokens: TokenTotals = { prompt: 0, completion: 0 };
  let sampledCount = 0;
  let verified = 0;
  const planned = index.entries.length * sampleCap(plan);
  const progress = () => options.onProgress?.({ sampled: sampledCount, verified, planned, tokens: drawnTokens });
  const judge = (entry: DrawEntry, verdict: Pick<VerdictRecord, 'index' | 'status' | 'reason' | 'verifier' | 'extracted'>) => {
    const { index: at, status, extracted } = verdict;
    entry.set(at, status === 'correct' ? State.Correct : State.Wrong);
    if (at < measuredOn) tally.add({ problemId: entry.problem.id, status, hinted, ...(extracted === undefined ? {} : { extracted }) });
    health.add(verdict);
    verified++;
  };

  for await (const sample of options.samples.scan()) {
    const entry = index.owner(sample, sample.id);
    if (!entry || entry.state(sample.index) !== State.Empty) continue;
    entry.set(sample.index, State.Stored);
    sampledCount++;
    tokens.prompt += sample.usage.promptTokens;
    tokens.completion += sample.usage.completionTokens;
  }
  const latest = await lastRejudged(options.verdicts);
  let line = 0;
  for await (const verdict of options.verdicts.scan()) {
    const at = line++;
    // A re-judged sample counts by its last verdict (appended below the ones it replaces).
    const last = latest.get(verdict.sampleId);
    if (last !== undefined && last !== at) continue;
    const entry = index.owner(verdict, verdict.sampleId);
    // A verdict whose sample is not stored, or a second one for a sample, is not counted.
    if (!entry || entry.state(verdict.index) !== State.Stored) continue;
    judge(entry, verdict);
  }

  const estimate = (entry: DrawEntry): SampleEstimate => options.estimate?.(entry.prompt()) ?? { promptTokens: 0, completionTokens: options.params.maxTokens };
  const source = new DrawSource({ index, goals: new Goals(plan, index.entries.length), budget, signal: options.signal, estimate });
  source.unjudged = sampledCount - verified;
  const pool = new VerifierPool(options.verifyConcurrency);

  /** Judges one stored sample; its verdict is appended once the sample itself is in the file. */
  const verify = (entry: DrawEntry, sample: Sample, stored: Promise<void>) => async () => {
    const { verifier, options: verifierOptions } = options.resolver.resolve(entry.problem);
    const verdict = await runVerifier(verifier, entry.problem, sample.text, verifierOptions);
    await stored;
    const record: VerdictRecord = { ...verdict, verifier: verifier.id, sampleId: sample.id, problemId: sample.problemId, round, index: sample.index, hinted };
    await options.verdicts.append([record]);
    judge(entry, record);
    source.unjudged--;
    source.changed(entry);
    progress();
  };

  // Verdicts being computed are still stored (they are paid for in time); then the files are released.
  const release = async () => {
    source.dispose();
    await pool.drain().catch(() => undefined);
    return Promise.allSettled([options.samples.close(), options.verdicts.close()]);
  };
  try {
    progress();
    // Samples stored by an earlier process without a verdict (those it was judging when killed).
    if (source.unjudged > 0) {
      for await (const sample of options.samples.scan()) {
        const entry = index.owner(sample, sample.id);
        if (!entry || entry.state(sample.index) !== State.Stored) continue;
        entry.set(sample.index, State.Verifying);
        await pool.submit(verify(entry, sample, Promise.resolve()));
      }
    }

    for await (const generation of generationsFrom(options.policy, source, options.params, generateOptionsOf(options))) {
      const entry = index.byKey(generation.key);
      if (!entry || entry.state(generation.index) !== State.Requested) continue;
      const sample = sampleOf(generation, { id: entry.idOf(generation.index), problemId: entry.problem.id, round, phase: options.phase, hinted });
      entry.set(sample.index, State.Verifying);
      source.unjudged++;
      budget?.record(sample.usage, estimate(entry));
      source.arrived();
      const stored = options.samples.append([sample]);
      // A failed write fails the verify job that waits on it; this only keeps it from being unhandled meanwhile.
      stored.catch(() => undefined);
      sampledCount++;
      for (const [total, part] of [[tokens, sample.usage], [drawnTokens, sample.usage]] as const) {
        total.prompt += part.promptTokens;
        total.completion += part.completionTokens;
      }
      progress();
      await pool.submit(verify(entry, sample, stored));
    }
    markSampled();
    await pool.drain();
  } catch (error) {
    await release();
    throw error;
  }
  const closeFailure = (await release()).find((c) => c.status === 'rejected');
  if (closeFailure) throw closeFailure.reason;

  const correctOf = (entry: DrawEntry) => entry.count(State.Correct, index.cap);
  return {
    index,
    tally,
    health,
    measuredOn,
    samples: sampledCount,
    correct: index.entries.reduce((sum, entry) => sum + correctOf(entry), 0),
    tokens,
    stats: samplingStats(plan, index, measuredOn, health),
    budgetReached: source.budgetReached,
    statusOf(sample) {
      const entry = index.owner(sample, sample.id);
      const state = entry?.state(sample.index);
      return state === State.Correct ? 'correct' : state === State.Wrong ? 'wrong' : undefined;
    },
    correctOf(problemId) {
      const entry = index.byKey(problemId);
      return entry ? correctOf(entry) : 0;
    },
  };
}


/** Where each re-judged sample's last verdict is (its position among the records); only re-judged samples are kept. */
async function lastRejudged(verdicts: RecordSink<VerdictRecord>): Promise<Map<string, number>> {
  const last = new Map<string, number>();
  let line = 0;
  for await (const verdict of verdicts.scan()) {
    if (verdict.rejudged) last.set(verdict.sampleId, line);
    line++;
  }
  return last;
}
