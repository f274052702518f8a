import { writeFileAtomic } from '../store/atomic-write.ts';
import type { Policy } from '../policy/policy.ts';
import type { Sample } from '../schema/sample.ts';
import type { Problem } from '../schema/problem.ts';
import type { StageTimings, TokenTotals, TrainStats } from '../schema/summary.ts';
import type { DatasetLine, Provenance, Survivor } from '../schema/survivor.ts';
import { goldControlExamples } from '../embedded/control.ts';
import { costOf, trainSamplingParams, type RunContext } from './context.ts';
import { drawSamples, sumTokens } from './draw.ts';
import { judgeSamples } from './judge.ts';
import { computeSplitMetrics } from './metrics.ts';
import { renderPrompt } from './prompt.ts';
import { problemsToRationalize, quotesHint } from './rationalize.ts';
import { selectSurvivors } from './select.ts';
import { runStage } from './stage.ts';
import { percent } from '../report/format-values.ts';

export interface CollectedData {
  stats: TrainStats;
  datasetPath: string;
  examples: number;
}

/**
 * Builds round `round`'s fine-tuning set with `policy`: sample k per train problem, verify,
 * rationalize the problems nothing solved, keep the survivors, write the chat dataset.
 */
export async function collectTrainingData(context: RunContext, round: number, policy: Policy, timings: StageTimings): Promise<CollectedData> {
  const { config, store, emit } = context;
  const problems = context.trainProblems;
  const k = config.sampling.k;
  const progress = (stage: 'sample' | 'verify' | 'rationalize') => (done: number, total: number, tokens?: TokenTotals) =>
    emit({ type: 'stage-progress', round, stage, done, total, ...(tokens ? { tokens, costUsd: costOf(config, tokens) } : {}) });
  const draw = (from: Problem[], count: number, hinted: boolean) =>
    drawSamples({
      sink: store.samples(round, 'train'), round, phase: 'train', policy, problems: from, k: count, params: trainSamplingParams(config),
      hinted, signal: context.signal, render: (problem) => renderPrompt(config, problem, hinted), onProgress: progress(hinted ? 'rationalize' : 'sample'),
    });
  const judge = (samples: Sample[], onProgress?: (done: number, total: number) => void) =>
    judgeSamples({
      sink: store.verdicts(round, 'train'), round, samples, problems: context.problemsById, resolver: context.resolver,
      concurrency: context.verifyConcurrency, ...(onProgress ? { onProgress } : {}),
    });

  const sampled = await runStage(emit, round, 'sample', { total: problems.length * k, label: `sample ${problems.length} problems × ${k}` },
    () => draw(problems, k, false), (samples) => `${samples.length} samples`);
  const samples = sampled.result;
  timings.sampleMs = sampled.ms;

  const verified = await runStage(emit, round, 'verify', { total: samples.length, label: `verify ${samples.length} samples` },
    async () => {
      const list = await judge(samples, progress('verify'));
      return { verdicts: new Map(list.map((v) => [v.sampleId, v])), metrics: computeSplitMetrics(problems, list, k) };
    },
    ({ metrics }) => `pass@1 ${percent(metrics.passAt1)}  coverage ${percent(metrics.coverage)}`);
  const { verdicts, metrics } = verified.result;
  timings.verifyMs = verified.ms;

  const hinted: Sample[] = [];
  const rejected = new Set<string>();
  let rationalizeAttempts = 0;
  if (config.rationalize.enabled) {
    const failed = problemsToRationalize(problems, samples, verdicts);
    rationalizeAttempts = failed.length;
    const rationalizing = await runStage(emit, round, 'rationalize', { total: failed.length * config.rationalize.k, label: `rationalize ${failed.length} failed problems` },
      async () => {
        if (!failed.length) return;
        hinted.push(...(await draw(failed, config.rationalize.k, true)));
        for (const verdict of await judge(hinted)) verdicts.set(verdict.sampleId, verdict);
        for (const sample of hinted) {
          if (verdicts.get(sample.id)?.status === 'correct' && quotesHint(config, context.problemsById.get(sample.problemId)!, sample.text)) rejected.add(sample.id);
        }
      },
      () => `${hinted.filter((s) => verdicts.get(s.id)?.status === 'correct' && !rejected.has(s.id)).length} accepted, ${rejected.size} quoted the hint`);
    timings.rationalizeMs = rationalizing.ms;
  }

  const selected = await runStage(emit, round, 'select', { total: problems.length, label: 'select survivors' },
    async () => {
      const survivors = selectSurvivors({
        problems, evalIds: context.evalIds, samples: [...samples, ...hinted], verdicts, rejected,
        maxPerProblem: config.select.maxPerProblem, dedupe: config.select.dedupe,
      });
      const layout = await store.round(round);
      const { lines, provenance } = context.control ? controlDataset(survivors.length, round, config.seed) : datasetFrom(context, survivors);
      await writeFileAtomic(layout.survivors, survivors.map((s) => JSON.stringify(s) + '\n').join(''));
      await writeFileAtomic(layout.dataset, lines.map((l) => JSON.stringify(l) + '\n').join(''));
      await writeFileAtomic(layout.provenance, provenance.map((p) => JSON.stringify(p) + '\n').join(''));
      return { survivors, examples: lines.length, datasetPath: layout.dataset, rationalized: survivors.filter((s) => s.hinted).length };
    },
    ({ survivors, rationalized, examples }) => `${survivors.length} survivors (${rationalized} rationalized) → ${examples} examples`);
  const { survivors, examples, datasetPath, rationalized } = selected.result;
  timings.selectMs = selected.ms;

  const tokens = sumTokens([...samples, ...hinted]);
  return {
    stats: {
      ...metrics,
      survivors: survivors.length,
      rationalized,
      rationalizeAttempts,
      datasetExamples: examples,
      tokens,
      costUsd: costOf(config, tokens),
    },
    datasetPath,
    examples,
  };
}

function datasetFrom(context: RunContext, survivors: Survivor[]): { lines: DatasetLine[]; provenance: Provenance[] } {
  const lines: DatasetLine[] = [];
  const provenance: Provenance[] = [];
  for (const survivor of survivors) {
    const problem = context.problemsById.get(survivor.problemId)!;
    lines.push({ messages: [...renderPrompt(context.config, problem).messages, { role: 'assistant', content: survivor.text }] });
    provenance.push({
      line: lines.length,
      problemId: survivor.problemId,
      sampleId: survivor.sampleId,
      round: survivor.round,
      source: survivor.hinted ? 'rationalized' : 'sampled',
      verifier: survivor.verifier,
    });
  }
  return { lines, provenance };
}

/** The control arm: as many gold worked examples from the easy split as the real arm kept. */
function controlDataset(count: number, round: number, seed: number): { lines: DatasetLine[]; provenance: Provenance[] } {
  const lines = goldControlExamples(count, seed + round) as DatasetLine[];
  const provenance = lines.map((_, i): Provenance => ({ line: i + 1, problemId: `gold-easy-${i}`, sampleId: null, round, source: 'gold-control', verifier: null }));
  return { lines, provenance };
}
