import { writeFileAtomic } from '../store/atomic-write.ts';
import type { Policy } from '../policy/policy.ts';
import type { Sample } from '../schema/sample.ts';
import type { StageTimings, TrainStats } from '../schema/summary.ts';
import type { DatasetLine, Provenance, Survivor } from '../schema/survivor.ts';
import { goldControlExamples } from '../embedded/control.ts';
import { costOf, trainSamplingParams, type RunContext } from './context.ts';
import { drawSamples, sumTokens } from './draw.ts';
import { judgeSamples } from './judge.ts';
import { computeSplitMetrics } from './metrics.ts';
import { renderPrompt } from './prompt.ts';
import { problemsToRationalize, quotesHint } from './rationalize.ts';
import { selectSurvivors } from './select.ts';

export interface CollectedData {
  stats: TrainStats;
  datasetPath: string;
  examples: number;
}

const percent = (x: number) => `${(x * 100).toFixed(1)}%`;

/**
 * Builds round `round`'s fine-tuning set with `policy`: sample k per train problem, verify,
 * rationalize the problems nothing solved, keep the survivors, write the chat dataset.
 */
export async function collectTrainingData(context: RunContext, round: number, policy: Policy, timings: StageTimings): Promise<CollectedData> {
  const { config, store } = context;
  const problems = context.trainProblems;
  const k = config.sampling.k;
  const params = trainSamplingParams(config);
  const progress = (stage: 'sample' | 'verify' | 'rationalize') => (done: number, total: number, tokens?: { prompt: number; completion: number }) =>
    context.emit({ type: 'stage-progress', round, stage, done, total, ...(tokens ? { tokens, costUsd: costOf(config, tokens) } : {}) });

  let started = performance.now();
  context.emit({ type: 'stage-start', round, stage: 'sample', total: problems.length * k, label: `sample ${problems.length} problems × ${k}` });
  const samples = await drawSamples({
    sink: store.samples(round, 'train'), round, phase: 'train', policy, problems, k, params, hinted: false, signal: context.signal,
    render: (problem) => renderPrompt(config, problem),
    onProgress: progress('sample'),
  });
  timings.sampleMs = performance.now() - started;
  context.emit({ type: 'stage-end', round, stage: 'sample', ms: timings.sampleMs, detail: `${samples.length} samples` });

  started = performance.now();
  context.emit({ type: 'stage-start', round, stage: 'verify', total: samples.length, label: `verify ${samples.length} samples` });
  const verdictList = await judgeSamples({
    sink: store.verdicts(round, 'train'), round, samples, problems: context.problemsById, resolver: context.resolver,
    concurrency: context.verifyConcurrency, onProgress: progress('verify'),
  });
  const verdicts = new Map(verdictList.map((v) => [v.sampleId, v]));
  const metrics = computeSplitMetrics(problems, verdictList, k);
  timings.verifyMs = performance.now() - started;
  context.emit({ type: 'stage-end', round, stage: 'verify', ms: timings.verifyMs, detail: `pass@1 ${percent(metrics.passAt1)}  coverage ${percent(metrics.coverage)}` });

  const hinted: Sample[] = [];
  const rejected = new Set<string>();
  let rationalizeAttempts = 0;
  if (config.rationalize.enabled) {
    started = performance.now();
    const failed = problemsToRationalize(problems, samples, verdicts);
    rationalizeAttempts = failed.length;
    context.emit({ type: 'stage-start', round, stage: 'rationalize', total: failed.length * config.rationalize.k, label: `rationalize ${failed.length} failed problems` });
    if (failed.length) {
      hinted.push(
        ...(await drawSamples({
          sink: store.samples(round, 'train'), round, phase: 'train', policy, problems: failed, k: config.rationalize.k, params, hinted: true, signal: context.signal,
          render: (problem) => renderPrompt(config, problem, true),
          onProgress: progress('rationalize'),
        })),
      );
      const hintedVerdicts = await judgeSamples({
        sink: store.verdicts(round, 'train'), round, samples: hinted, problems: context.problemsById, resolver: context.resolver,
        concurrency: context.verifyConcurrency,
      });
      for (const verdict of hintedVerdicts) verdicts.set(verdict.sampleId, verdict);
      for (const sample of hinted) {
        if (verdicts.get(sample.id)?.status === 'correct' && quotesHint(config, context.problemsById.get(sample.problemId)!, sample.text)) rejected.add(sample.id);
      }
    }
    timings.rationalizeMs = performance.now() - started;
    context.emit({ type: 'stage-end', round, stage: 'rationalize', ms: timings.rationalizeMs, detail: `${hinted.filter((s) => verdicts.get(s.id)?.status === 'correct' && !rejected.has(s.id)).length} accepted, ${rejected.size} quoted the hint` });
  }

  started = performance.now();
  context.emit({ type: 'stage-start', round, stage: 'select', total: problems.length, label: 'select survivors' });
  const survivors = selectSurvivors({
    problems, evalIds: context.evalIds, samples: [...samples, ...hinted], verdicts, rejected,
    maxPerProblem: config.select.maxPerProblem, dedupe: config.select.dedupe,
  });
  const layout = await store.round(round);
  const { lines, provenance } = context.control ? controlDataset(survivors.length, round, config.seed) : datasetFrom(context, survivors);
  await writeFileAtomic(layout.survivors, survivors.map((s) => JSON.stringify(s) + '\n').join(''));
  await writeFileAtomic(layout.dataset, lines.map((l) => JSON.stringify(l) + '\n').join(''));
  await writeFileAtomic(layout.provenance, provenance.map((p) => JSON.stringify(p) + '\n').join(''));
  timings.selectMs = performance.now() - started;
  const rationalized = survivors.filter((s) => s.hinted).length;
  context.emit({ type: 'stage-end', round, stage: 'select', ms: timings.selectMs, detail: `${survivors.length} survivors (${rationalized} rationalized) → ${lines.length} examples` });

  const tokens = sumTokens([...samples, ...hinted]);
  return {
    stats: {
      ...metrics,
      survivors: survivors.length,
      rationalized,
      rationalizeAttempts,
      datasetExamples: lines.length,
      tokens,
      costUsd: costOf(config, tokens),
    },
    datasetPath: layout.dataset,
    examples: lines.length,
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
