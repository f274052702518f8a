import PQueue from 'p-queue';
import type { Problem } from '../schema/problem.ts';
import type { Sample } from '../schema/sample.ts';
import type { Verdict, VerdictRecord } from '../schema/verdict.ts';
import type { RecordSink } from '../store/record-sink.ts';
import type { VerifierResolver } from '../verify/resolver.ts';
import { runVerifier } from '../verify/run.ts';

/** A text to judge against a problem. */
export interface Candidate {
  problemId: string;
  text: string;
}

/** A verdict and the id of the verifier that gave it. */
export interface Judged extends Verdict {
  verifier: string;
}

export interface VerifyOptions {
  problems: ReadonlyMap<string, Problem>;
  resolver: VerifierResolver;
  /** Verifier calls in flight (code verifiers run in parallel sandboxes). */
  concurrency: number;
  /** Called as each verdict completes (any order), e.g. to store it at once. */
  onVerdict?: (position: number, judged: Judged) => void | Promise<void>;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Judges each candidate with its problem's verifier, `concurrency` at a time; returns the
 * verdicts in candidate order. It never throws for a verifier's sake: a crash is an `error` verdict.
 */
export async function verifyCandidates(candidates: readonly Candidate[], options: VerifyOptions): Promise<Judged[]> {
  const judged: Judged[] = new Array(candidates.length);
  const queue = new PQueue({ concurrency: options.concurrency });
  let done = 0;
  options.onProgress?.(done, candidates.length);
  await Promise.all(
    candidates.map((candidate, position) =>
      queue.add(async () => {
        const problem = options.problems.get(candidate.problemId);
        if (!problem) throw new Error(`candidate ${position} names unknown problem ${candidate.problemId}`);
        const { verifier, options: verifierOptions } = options.resolver.resolve(problem);
        const verdict = await runVerifier(verifier, problem, candidate.text, verifierOptions);
        judged[position] = { ...verdict, verifier: verifier.id };
        await options.onVerdict?.(position, judged[position]);
        options.onProgress?.(++done, candidates.length);
      }),
    ),
  );
  return judged;
}

export interface VerifySamplesOptions extends Omit<VerifyOptions, 'onVerdict'> {
  /** Where verdicts are stored, keyed by sample id. */
  sink: RecordSink<VerdictRecord>;
  round: number;
  samples: readonly Sample[];
}

/**
 * Verifies every sample that has no stored verdict yet, appending each verdict as it completes,
 * so a killed run re-verifies only what was in flight. Returns one verdict per sample, in order.
 */
export async function verifySamples(options: VerifySamplesOptions): Promise<VerdictRecord[]> {
  const { sink, round, samples } = options;
  const stored = await sink.load();
  const todo = samples.filter((s) => !stored.has(s.id));
  const already = samples.length - todo.length;
  await verifyCandidates(todo, {
    ...options,
    onProgress: options.onProgress && ((done) => options.onProgress!(already + done, samples.length)),
    async onVerdict(position, judged) {
      const sample = todo[position];
      const record: VerdictRecord = { ...judged, sampleId: sample.id, problemId: sample.problemId, round, index: sample.index, hinted: sample.hinted };
      stored.set(sample.id, record);
      await sink.append([record]);
    },
  });
  return samples.map((s) => stored.get(s.id)!);
}
