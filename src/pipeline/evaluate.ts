import type { Policy } from '../policy/policy.ts';
import type { EvalStats, StageTimings } from '../schema/summary.ts';
import { costOf, evalSamplingParams, type RunContext } from './context.ts';
import { drawSamples, sumTokens } from './draw.ts';
import { judgeSamples } from './judge.ts';
import { computeGroupMetrics, computeSplitMetrics } from './metrics.ts';
import { renderPrompt } from './prompt.ts';
import { runStage } from './stage.ts';
import { percent } from '../report/format-values.ts';

/** Samples eval.k per eval problem from `policy`, verifies them, and measures the split. */
export async function evaluatePolicy(context: RunContext, round: number, policy: Policy, timings: StageTimings): Promise<EvalStats | undefined> {
  const { config, store } = context;
  if (context.evalProblems.length === 0) return undefined;
  const k = config.eval.k;
  const evaluated = await runStage(context.emit, round, 'eval', { total: context.evalProblems.length * k, label: `eval ${context.evalProblems.length} problems × ${k}` },
    async (): Promise<EvalStats> => {
      const samples = await drawSamples({
        sink: store.samples(round, 'eval'), round, phase: 'eval', policy, problems: context.evalProblems, k,
        params: evalSamplingParams(config), render: (problem) => renderPrompt(config, problem), hinted: false, signal: context.signal,
        onProgress: (done, total, tokens) => context.emit({ type: 'stage-progress', round, stage: 'eval', done, total, tokens, costUsd: costOf(config, tokens) }),
      });
      const verdicts = await judgeSamples({
        sink: store.verdicts(round, 'eval'), round, samples, problems: context.problemsById, resolver: context.resolver,
        concurrency: context.verifyConcurrency,
      });
      const groups = computeGroupMetrics(context.evalProblems, verdicts, k);
      const tokens = sumTokens(samples);
      return { ...computeSplitMetrics(context.evalProblems, verdicts, k), ...(groups && Object.keys(groups).length ? { byGroup: groups } : {}), tokens, costUsd: costOf(config, tokens) };
    },
    (stats) => `pass@1 ${percent(stats.passAt1)}  pass@${k} ${percent(stats.passAtK)}`);
  timings.evalMs = evaluated.ms;
  return evaluated.result;
}
