import PQueue from 'p-queue';
import type { Problem } from '../schema/problem.ts';
import type { Sample } from '../schema/sample.ts';
import type { VerdictRecord } from '../schema/verdict.ts';
import type { RecordSink } from '../store/record-sink.ts';
import { runVerifier } from '../verify/run.ts';
import type { VerifierResolver } from './verifier-resolver.ts';

export interface JudgeOptions {
  /** Where verdicts are stored, keyed by sample id. */
  sink: RecordSink<VerdictRecord>;
  round: number;
  samples: readonly Sample[];
  problems: ReadonlyMap<string, Problem>;
  resolver: VerifierResolver;
  concurrency: number;
  onProgress?: (done: number, total: number) => void;
}

const FLUSH_EVERY = 64;

/**
 * Verifies every sample that has no stored verdict yet and appends the verdicts in batches.
 * Returns one verdict per sample, in sample order.
 */
export async function judgeSamples(options: JudgeOptions): Promise<VerdictRecord[]> {
  const { sink, round } = options;
  const stored = await sink.load();
  const pending: VerdictRecord[] = [];
  const flush = async () => {
    const batch = pending.splice(0);
    await sink.append(batch);
  };
  const todo = options.samples.filter((s) => !stored.has(s.id));
  let done = options.samples.length - todo.length;
  options.onProgress?.(done, options.samples.length);
  const queue = new PQueue({ concurrency: options.concurrency });
  let flushing = Promise.resolve();
  const tasks = todo.map((sample) =>
    queue.add(async () => {
      const problem = options.problems.get(sample.problemId);
      if (!problem) throw new Error(`sample ${sample.id} names unknown problem ${sample.problemId}`);
      const { verifier, options: verifierOptions } = options.resolver.resolve(problem);
      const verdict = await runVerifier(verifier, problem, sample.text, verifierOptions);
      const record: VerdictRecord = {
        ...verdict,
        sampleId: sample.id,
        problemId: sample.problemId,
        round,
        index: sample.index,
        hinted: sample.hinted,
        verifier: verifier.id,
      };
      stored.set(sample.id, record);
      pending.push(record);
      if (pending.length >= FLUSH_EVERY) flushing = flushing.then(flush);
      options.onProgress?.(++done, options.samples.length);
    }),
  );
  try {
    await Promise.all(tasks);
  } finally {
    await queue.onIdle();
    await flushing;
    await flush();
  }
  return options.samples.map((s) => stored.get(s.id)!);
}
