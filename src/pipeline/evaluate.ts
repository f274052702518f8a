import type { Policy } from '../policy/policy.ts';
import type { EvalStats, StageTimings } from '../schema/summary.ts';
import { costOf, evalSamplingParams, type RunContext } from './context.ts';
import { drawSamples, sumTokens } from './draw.ts';
import { judgeSamples } from './judge.ts';
import { computeGroupMetrics, computeSplitMetrics } from './metrics.ts';
import { renderPrompt } from './prompt.ts';

/** Samples eval.k per eval problem from `policy`, verifies them, and measures the split. */
export async function evaluatePolicy(context: RunContext, round: number, policy: Policy, timings: StageTimings): Promise<EvalStats | undefined> {
  const { config, store } = context;
  if (context.evalProblems.length === 0) return undefined;
  const k = config.eval.k;
  const total = context.evalProblems.length * k;
  context.emit({ type: 'stage-start', round, stage: 'eval', total, label: `eval ${context.evalProblems.length} problems × ${k}` });
  const started = performance.now();
  const samples = await drawSamples({
    sink: store.samples(round, 'eval'),
    round,
    phase: 'eval',
    policy,
    problems: context.evalProblems,
    k,
    params: evalSamplingParams(config),
    render: (problem) => renderPrompt(config, problem),
    hinted: false,
    signal: context.signal,
    onProgress: (done, all, tokens) =>
      context.emit({ type: 'stage-progress', round, stage: 'eval', done, total: all, tokens, costUsd: costOf(config, tokens) }),
  });
  const verdicts = await judgeSamples({
    sink: store.verdicts(round, 'eval'),
    round,
    samples,
    problems: context.problemsById,
    resolver: context.resolver,
    concurrency: context.verifyConcurrency,
  });
  const metrics = computeSplitMetrics(context.evalProblems, verdicts, k);
  const groups = computeGroupMetrics(context.evalProblems, verdicts, k);
  const tokens = sumTokens(samples);
  timings.evalMs = performance.now() - started;
  context.emit({
    type: 'stage-end',
    round,
    stage: 'eval',
    ms: timings.evalMs,
    detail: `pass@1 ${(metrics.passAt1 * 100).toFixed(1)}%  pass@${k} ${(metrics.passAtK * 100).toFixed(1)}%`,
  });
  return { ...metrics, ...(groups && Object.keys(groups).length ? { byGroup: groups } : {}), tokens, costUsd: costOf(config, tokens) };
}
