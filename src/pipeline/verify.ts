import PQueue from 'p-queue';
import type { Problem } from '../schema/problem.ts';
import type { Verdict } from '../schema/verdict.ts';
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
