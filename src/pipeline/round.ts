import type { RunConfig } from '../config/schema.ts';
import { AbortedError, RunStoreError } from '../errors.ts';
import type { Policy } from '../policy/policy.ts';
import type { Problem } from '../schema/problem.ts';
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
import type { Budget } from './budget.ts';
import { evalSamplingParams, trainSamplingParams, type CostFunction } from './params.ts';
import { type RenderedPrompt, renderPrompt } from './prompt.ts';
import { problemsToRationalize, quotesHint } from './rationalize.ts';
import { type DrawOutcome, type DrawProgress, startDraw } from './sampling/draw.ts';
import { fixedPlan, sampleCap, type SamplingPlan, samplingPlanOf, unbiasedPrefix } from './sampling/strategy.ts';
import type { DatasetSource } from './select.ts';
import type { AdapterServing } from './serve.ts';
import { configPrice, type SampleEstimator } from './spending.ts';
import { runStage, type StageReporter } from './stage.ts';
import { hintedUndecided, refuseMostlyErrors, undecidedText } from './verdict-health.ts';
import { chooseSurvivors, survivalFilter } from './survivors.ts';
import { trainingSet, trainNextPolicy } from './train.ts';

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
  /** The price of the round's model (its cost column). */
  costFor: (model: string) => CostFunction;
  /** The run's spending caps, when it has any. */
  budget?: Budget;
  /** How the budget estimates a sample of `model` before drawing it. */
  estimatorFor?: (model: string) => Promise<SampleEstimator>;
  verifyConcurrency: number;
  /** `train.serve`: trained adapters are loaded into the policy's servers. */
  serving?: AdapterServing;
  signal?: AbortSignal;
}

/** What the draws of one round's model share. */
interface RoundPricing {
  cost: CostFunction;
  budget?: Budget;
  estimate?: SampleEstimator;
}

/** What round r does: evaluate `policy`; when `collect`, build a dataset with `sampler` (or `policy`); when `training`, train policy r+1. */
export interface RoundPlan {
  round: number;
  policy: Policy;
  ref: PolicyRef;
  collect: boolean;
  /** Who samples the training data when it is not `policy` (a teacher), and its price. */
  sampler?: { policy: Policy; cost: CostFunction };
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
  const pricing = await roundPricing(setting, policy.id);
  const evalStats = await evaluatePolicy({
    policy, round, problems: setting.evalProblems, problemsById: setting.problemsById, k: setting.config.eval.k,
    params: evalSamplingParams(setting.config), render: (problem) => renderPrompt(setting.config, problem), store,
    resolver: setting.resolver, verifyConcurrency: setting.verifyConcurrency, reporter, signal: setting.signal, ...pricing,
  });
  throwIfAborted(setting.signal);

  let trainStats: TrainStats | undefined;
  let next: PolicyRef | undefined;
  if (plan.collect) {
    const sampler = plan.sampler ? { policy: plan.sampler.policy, pricing: await roundPricing(setting, plan.sampler.policy.id, plan.sampler) } : { policy, pricing };
    // Only the stats are kept: the selection is on disk, and training can take hours.
    trainStats = (await committedStats(setting, round)) ?? (await collectTrainingData(setting, reporter, round, sampler.policy, sampler.pricing)).stats;
    if (plan.training) {
      next = await store.readNextPolicy(round);
      if (!next) {
        next = await trainNextPolicy({
          trainer: plan.training.trainer, round, ...(await trainingSet(setting, round, trainStats.datasetExamples)),
          base: plan.training.base, start: plan.training.start, current: plan.ref, outDir: store.layout.round(round).trainerDir,
          state: store.trainerState(round), reporter, serving: setting.serving, signal: setting.signal,
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
 * The stats of a round whose dataset already trained a model (or is being trained on): its
 * selection is kept exactly as it was on disk, whatever the resumed config asks for.
 */
async function committedStats(setting: RunSetting, round: number): Promise<TrainStats | undefined> {
  const { store, config } = setting;
  if (!(await store.datasetCommitted(round))) return undefined;
  const stats = await store.readTrainStats(round);
  if (!stats) {
    throw new RunStoreError('RUN_MISMATCH', `round ${round} of ${store.layout.dir} sent its dataset to training, but its train-stats.json is missing (a run made by an older starloop); it cannot be resumed without rewriting that dataset`);
  }
  const measuredOn = unbiasedPrefix(samplingPlanOf(config.sampling));
  if (stats.k !== measuredOn) {
    setting.emit({
      type: 'log',
      message: `round ${round}: its dataset (k=${stats.k}) went to training already and is kept as it was; sampling.k=${config.sampling.k} applies from round ${round + 1}`,
    });
  }
  return stats;
}

/** The round model's price, and the budget's estimate of its samples when the run has a budget. */
async function roundPricing(setting: RunSetting, model: string, teacher?: { cost: CostFunction }): Promise<RoundPricing> {
  const cost = teacher?.cost ?? setting.costFor(model);
  const budget = setting.budget;
  if (!budget?.capped) return { cost };
  budget.priceFor(model, configPrice({ policy: teacher && setting.config.teacher ? setting.config.teacher : setting.config.policy }, model));
  return { cost, budget, ...(setting.estimatorFor ? { estimate: await setting.estimatorFor(model) } : {}) };
}

/**
 * Builds round `round`'s fine-tuning set with `policy`: sample the train problems as the sampling
 * strategy decides, verifying each sample as it arrives; rationalize the problems nothing solved;
 * keep the survivors; write the dataset. Nothing here holds a round's samples or verdicts in
 * memory: the draws keep per-problem counts, and selection streams the samples file.
 */
async function collectTrainingData(setting: RunSetting, reporter: StageReporter, round: number, policy: Policy, pricing: RoundPricing): Promise<Selection> {
  const { config, store } = setting;
  const { cost, budget } = pricing;
  const problems = setting.trainProblems;
  const params = trainSamplingParams(config);
  let latest: DrawProgress | undefined;
  const emitProgress = (stage: 'sample' | 'verify' | 'rationalize') => (p: DrawProgress) => {
    latest = p;
    const [done, total] = stage === 'verify' ? [p.verified, p.sampled] : [p.sampled, p.planned];
    reporter.emit({ type: 'stage-progress', round, stage, done, total, tokens: p.tokens, costUsd: cost(p.tokens), ...(stage === 'verify' ? {} : { message: `${p.verified} verified` }) });
  };
  let stage: 'sample' | 'verify' = 'sample';
  const draw = (from: readonly Problem[], plan: SamplingPlan, hinted: boolean, onProgress: (p: DrawProgress) => void) =>
    startDraw({
      samples: store.samples(round, 'train'), verdicts: store.verdicts(round, 'train'), round, phase: 'train', policy, problems: from, params,
      render: (problem) => renderPrompt(config, problem, hinted), hinted, plan, resolver: setting.resolver, verifyConcurrency: setting.verifyConcurrency,
      signal: setting.signal, onProgress, ...(budget ? { budget } : {}),
      onNotice: (notice) => reporter.emit(noticeEvent(notice)), state: store.batchState(round, hinted ? 'rationalize' : 'train'),
      ...(pricing.estimate ? { estimate: (prompt: RenderedPrompt) => pricing.estimate!(prompt, params.maxTokens) } : {}),
    });
  const stopAtBudget = (outcome: DrawOutcome) => {
    if (outcome.budgetReached && budget) throw budget.exceeded();
    return outcome;
  };

  const plan = samplingPlanOf(config.sampling);
  const planned = plan.strategy === 'fixed' ? `× ${plan.k}` : `by ${plan.strategy} (at most ${sampleCap(plan)} each)`;
  const plain = draw(problems, plan, false, (p) => emitProgress(stage)(p));
  await runStage(reporter, round, 'sample', { total: problems.length * sampleCap(plan), label: `sample ${problems.length} problems ${planned}` },
    async () => {
      await plain.sampled;
      stage = 'verify';
    },
    () => `${latest?.sampled ?? 0} samples, ${latest?.verified ?? 0} verified as they arrived`);
  const outcome = await runStage(reporter, round, 'verify', { total: 0, label: 'verify the samples still being judged' },
    async () => {
      const result = stopAtBudget(await plain.done);
      return { result, metrics: computeSplitMetrics(problems, result.tally, result.measuredOn) };
    },
    ({ result, metrics }) =>
      `${result.samples} samples, pass@1 ${percent(metrics.passAt1)}  coverage ${percent(metrics.coverage)}${plan.strategy === 'fixed' ? '' : ` (on the first ${result.measuredOn} of each problem)`}  ${undecidedText(result.health)}`);
  const { result: plainOutcome, metrics } = outcome;
  refuseMostlyErrors(plainOutcome.health, { round, stage: 'verify' });

  // A hint only helps a sample pass the verifier: with any other filter it would leak the gold answer.
  const failed = config.rationalize.enabled && survivalFilter(config) === 'verified' ? problemsToRationalize(problems, (id) => plainOutcome.correctOf(id)) : [];
  const hinted = failed.length
    ? await runStage(reporter, round, 'rationalize', { total: failed.length * config.rationalize.k, label: `rationalize ${failed.length} failed problems` },
        async () => stopAtBudget(await draw(failed, fixedPlan(config.rationalize.k), true, emitProgress('rationalize')).done),
        (r) => `${r.correct} of ${r.samples} hinted samples correct  ${undecidedText(r.health)}`)
    : undefined;
  if (hinted) refuseMostlyErrors(hinted.health, { round, stage: 'rationalize' });

  return runStage(reporter, round, 'select', { total: problems.length, label: 'select survivors' },
    async (): Promise<Selection> => {
      let quotedHint = 0;
      const { survivors, training } = await chooseSurvivors({
        config, round, problems, evalIds: setting.evalIds, resolver: setting.resolver, store, emit: reporter.emit,
        samples: () => store.samples(round, 'train').scan(),
        verdicts: () => store.verdicts(round, 'train').scan(),
        correct: (sample) => (sample.hinted ? hinted?.statusOf(sample) : plainOutcome.statusOf(sample)) === 'correct',
        rejected: (sample) => {
          const quoted = sample.hinted && quotesHint(config, setting.problemsById.get(sample.problemId)!, sample.text);
          if (quoted) quotedHint++;
          return quoted;
        },
        verifierOf: (problemId) => setting.resolver.resolve(setting.problemsById.get(problemId)!).verifier.id,
      });
      const built = setting.datasetSource.build(training, round);
      const { dataset: { lines, provenance }, dropped: contaminatedExamples } = dropContaminatedLines(config, built, setting.evalProblems, round);
      if (contaminatedExamples) reporter.emit({ type: 'log', message: `round ${round}: left out ${contaminatedExamples} example${contaminatedExamples === 1 ? '' : 's'} whose answer contains an eval problem's text` });
      const tokens: TokenTotals = { prompt: plainOutcome.tokens.prompt + (hinted?.tokens.prompt ?? 0), completion: plainOutcome.tokens.completion + (hinted?.tokens.completion ?? 0) };
      const stats: TrainStats = {
        ...metrics,
        survivors: survivors.length,
        keptIncorrect: survivors.filter((s) => s.status !== 'correct').length,
        rationalized: survivors.filter((s) => s.hinted).length,
        rationalizeAttempts: failed.length,
        datasetExamples: lines.length,
        ...hintedUndecided(hinted?.health ?? { errors: 0, unparseable: 0 }),
        sampling: plainOutcome.stats,
        contaminatedExamples,
        tokens,
        costUsd: cost(tokens),
      };
      if (quotedHint) reporter.emit({ type: 'log', message: `round ${round}: ${quotedHint} correct rationale(s) quoted the hint and were not kept` });
      const selection = { survivors, lines, provenance, stats };
      await store.writeSelection(round, selection);
      return selection;
    },
    ({ survivors, stats }) => `${survivors.length} survivors (${stats.rationalized} rationalized) → ${stats.datasetExamples} examples`);
}

export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new AbortedError('interrupted; run again with --resume to continue');
}
