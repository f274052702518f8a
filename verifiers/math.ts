import { defineVerifier } from '../src/verify/define.ts';
import { judgeMath } from '../src/verify/math/judge.ts';
import { MathOptions } from '../src/verify/math/options.ts';

/**
 * Math answers in LaTeX or plain text: the final answer is extracted (`\boxed{}`, "final answer
 * is", "answer:", the last math expression, the last number) and compared with the gold answer by
 * a cascade: normalized strings, numbers with the stated rounding, expressions at random points,
 * sets, tuples, intervals, equations and inequalities, matrices, percent and units.
 */
export const math = defineVerifier({
  id: 'math',
  description: 'final answer of a math solution (LaTeX or plain) equivalent to the gold answer',
  version: '1.0.0',
  options: MathOptions,
  timeoutMs: 10_000,
  verify(problem, candidate, options, context) {
    return judgeMath(problem.answer, candidate, options, context.signal);
  },
});
