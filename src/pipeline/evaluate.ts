import type { Policy } from '../policy/policy.ts';
import type { Problem } from '../schema/problem.ts';
import type { SamplingParams } from '../schema/sample.ts';
import type { EvalStats } from '../schema/summary.ts';
import type { VerdictRecord } from '../schema/verdict.ts';
import type { RunStore } from '../store/run-store.ts';
import type { VerifierResolver } from '../verify/resolver.ts';
import { percent } from '../util/format.ts';
import { computeGroupMetrics, computeSplitMetrics } from '../metrics/split.ts';
import type { CostFunction } from './params.ts';
import type { RenderedPrompt } from './prompt.ts';
import { sampleProblems, sumTokens } from './sample.ts';
import { noticeEvent } from './events.ts';
import { runStage, type StageReporter } from './stage.ts';
import { refuseMostlyErrors, undecidedText } from './verdict-health.ts';
import { verifySamples } from './verify.ts';

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
  signal?: AbortSignal;
}

/** Samples k per eval problem from `policy`, verifies them, and measures the split; undefined without eval problems. */
export async function evaluatePolicy(options: EvaluateOptions): Promise<EvalStats | undefined> {
  const { round, problems, k, reporter, store, cost } = options;
  if (problems.length === 0) return undefined;
  let judged: VerdictRecord[] = [];
  const stats = await runStage(reporter, round, 'eval', { total: problems.length * k, label: `eval ${problems.length} problems × ${k}` },
    async (): Promise<EvalStats> => {
      const samples = await sampleProblems({
        sink: store.samples(round, 'eval'), round, phase: 'eval', policy: options.policy, problems, k,
        params: options.params, render: options.render, hinted: false, signal: options.signal,
        onNotice: (notice) => reporter.emit(noticeEvent(notice)), state: store.batchState(round, 'eval'),
        onProgress: (done, total, tokens) => reporter.emit({ type: 'stage-progress', round, stage: 'eval', done, total, tokens, costUsd: cost(tokens) }),
      });
      const verdicts = (judged = await verifySamples({
        sink: store.verdicts(round, 'eval'), round, samples, problems: options.problemsById, resolver: options.resolver,
        concurrency: options.verifyConcurrency,
      }));
      const groups = computeGroupMetrics(problems, verdicts, k);
      const tokens = sumTokens(samples);
      return { ...computeSplitMetrics(problems, verdicts, k), ...(groups && Object.keys(groups).length ? { byGroup: groups } : {}), tokens, costUsd: cost(tokens) };
    },
    (stats) => `pass@1 ${percent(stats.passAt1)}  pass@${k} ${percent(stats.passAtK)}  ${undecidedText(stats)}`);
  refuseMostlyErrors(judged, { round, stage: 'eval' });
  return stats;
}
