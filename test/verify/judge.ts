import type { Problem } from '../../src/schema/problem.ts';
import type { Verdict } from '../../src/schema/verdict.ts';
import type { AnyVerifier } from '../../src/verify/define.ts';
import { parseVerifierOptions, runVerifier } from '../../src/verify/run.ts';

/** Runs `verifier` the way the pipeline does: options parsed by its schema, time limit, crash → error. */
export function judge(
  verifier: AnyVerifier,
  answer: string | undefined,
  candidate: string,
  options: Record<string, unknown> = {},
): Promise<Verdict> {
  const problem: Problem = { id: 'p1', prompt: 'question', meta: {}, ...(answer === undefined ? {} : { answer }) };
  return runVerifier(verifier, problem, candidate, parseVerifierOptions(verifier, options));
}
