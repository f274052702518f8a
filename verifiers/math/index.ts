import { defineVerifier } from '../../src/verify/define.ts';
import { MathOptions } from './options.ts';

/**
 * The judge pulls in mathjs, which takes about two CPU-seconds to load; importing it on first use
 * keeps every command that does not check math answers (and the registry listing) quick to start.
 */
let judge: Promise<typeof import('./judge.ts')> | undefined;
const loadJudge = () => (judge ??= import('./judge.ts'));

/**
 * Math answers in LaTeX or plain text: the final answer is extracted (`\boxed{}`, "final answer
 * is", "answer:", the last math expression, the last number) and compared with the gold answer by
 * a cascade: normalized strings, exact numbers and correctly rounded decimals, expressions at
 * random points, sets, tuples, intervals, equations and inequalities as relations, matrices,
 * percent, units and bases. What it cannot decide is `unparseable`, never a guess.
 */
export const math = defineVerifier({
  id: 'math',
  description: 'final answer of a math solution (LaTeX or plain) equivalent to the gold answer',
  version: '2.0.0',
  options: MathOptions,
  timeoutMs: 10_000,
  // Loading mathjs (seconds on a busy machine) must not happen inside the first call's time limit.
  async warmUp() {
    const { judgeMath } = await loadJudge();
    judgeMath('1/2', '\\boxed{0.5}', MathOptions.parse({}));
  },
  async verify(problem, candidate, options, context) {
    const { judgeMath } = await loadJudge();
    return judgeMath(problem.answer, candidate, options, context.signal);
  },
});
