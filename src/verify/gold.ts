import type { Problem } from '../schema/problem.ts';
import type { VerdictResult } from './define.ts';

/**
 * The problem's gold answer, or the `error` verdict every answer-checking verifier gives when
 * there is none: with nothing to compare against, a candidate can neither pass nor fail.
 */
export function goldOrError(problem: Problem): string | VerdictResult {
  if (problem.answer === undefined || problem.answer.trim() === '') {
    return { status: 'error', reason: `problem '${problem.id}' has no gold answer to compare with` };
  }
  return problem.answer;
}
