import type { Policy } from '../policy/policy.ts';
import type { Problem } from '../schema/problem.ts';
import type { SamplingParams } from '../schema/sample.ts';
import type { EvalStats } from '../schema/summary.ts';
import type { RunStore } from '../store/run-store.ts';
import type { VerifierResolver } from '../verify/resolver.ts';
import { percent } from '../util/format.ts';
import { computeGroupMetrics, computeSplitMetrics } from '../metrics/split.ts';
import type { Budget } from './budget.ts';
import type { CostFunction } from './params.ts';
import type { RenderedPrompt } from './prompt.ts';
import { startDraw } from './sampling/draw.ts';
import { fixedPlan } from './sampling/strategy.ts';
import type { SampleEstimator } from './spending.ts';
import { noticeEvent } from './events.ts';
import { runStage, type StageReporter } from './stage.ts';
import { refuseMostlyErrors, undecidedText, type VerdictHealth } from './verdict-health.ts';

export interface EvaluateOptions {
  policy: Policy;
  round: number;
  /** The eval split. */
  problems: readonly Problem[];
  problemsById: ReadonlyMap<string, Problem>;
  k: number;
  params: SamplingParams;
  render: (problem: Problem) => RenderedPrompt;
  /** Where the eval samples and verdicts are kept (so a rerun reuses them). */
  store: Pick<RunStore, 'samples' | 'verdicts' | 'batchState'>;
  resolver: VerifierResolver;
  verifyConcurrency: number;
  cost: CostFunction;
  reporter: StageReporter;
  budget?: Budget;
  estimate?: SampleEstimator;
  signal?: AbortSignal;
}

/**
 * Samples k per eval problem from `policy`, verifying them as they arrive, and measures the split;
 * undefined without eval problems. Throws the budget's error when the budget stopped it.
 */
export async function evaluatePolicy(options: EvaluateOptions): Promise<EvalStats | undefined> {
  const { round, problems, k, reporter, store, cost, budget } = options;
  if (problems.length === 0) return undefined;
  let health: VerdictHealth | undefined;
  const stats = await runStage(reporter, round, 'eval', { total: problems.length * k, label: `eval ${problems.length} problems × ${k}` },
    async (): Promise<EvalStats> => {
      const draw = startDraw({
        samples: store.samples(round, 'eval'), verdicts: store.verdicts(round, 'eval'), round, phase: 'eval', policy: options.policy, problems,
        params: options.params, render: options.render, hinted: false, plan: fixedPlan(k), resolver: options.resolver,
        verifyConcurrency: options.verifyConcurrency, signal: options.signal, ...(budget ? { budget } : {}),
        onNotice: (notice) => reporter.emit(noticeEvent(notice)), state: store.batchState(round, 'eval'),
        ...(options.estimate ? { estimate: (prompt: RenderedPrompt) => options.estimate!(prompt, options.params.maxTokens) } : {}),
        onProgress: ({ sampled, verified, planned, tokens }) =>
          reporter.emit({ type: 'stage-progress', round, stage: 'eval', done: sampled, total: planned, tokens, costUsd: cost(tokens), message: `${verified} verified` }),
      });
      const outcome = await draw.done;
      if (outcome.budgetReached && budget) throw budget.exceeded();
      health = outcome.health;
      const groups = computeGroupMetrics(problems, outcome.tally, k);
      return { ...computeSplitMetrics(problems, outcome.tally, k), ...(groups && Object.keys(groups).length ? { byGroup: groups } : {}), tokens: outcome.tokens, costUsd: cost(outcome.tokens) };
    },
    (stats) => `pass@1 ${percent(stats.passAt1)}  pass@${k} ${percent(stats.passAtK)}  ${undecidedText(stats)}`);
  if (health) refuseMostlyErrors(health, { round, stage: 'eval' });
  return stats;
}
