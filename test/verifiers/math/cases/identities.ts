import type { Case } from './types.ts';

/** Identities a checker should settle are equal; what it cannot decide is `unparseable`, never a guess. */
export const identities: Case[] = [
  ['\\sin(90^\\circ - x)', '\\cos x', 'correct'],
  ['\\cos x', '\\sin(90^\\circ - x)', 'correct'],
  ['\\sin(90^\\circ - x)', '\\sin x', 'incorrect'],
  ['x^2 - 1', '(x-1)(x+1)', 'correct'],
  ['x^2 - 1', '(x-1)^2', 'incorrect'],
  ['x^2 - 1', '(x-1)(x+2)', 'incorrect'],
  ['(x+1)^3', 'x^3 + 3x^2 + 3x + 1', 'correct'],
  ['(x+1)^3', 'x^3 + 3x^2 + 3x - 1', 'incorrect'],
  ['(x+1)^3', 'x^3 + x^2 + 3x + 1', 'incorrect'],
  ['\\tan^2 x + 1', '\\sec^2 x', 'correct'],
  ['\\tan^2 x + 1', '\\sec x', 'incorrect'],
  ['2\\sin b\\cos a', '\\sin(a+b) - \\sin(a-b)', 'correct'],
  ['2\\sin b\\cos a', '\\sin(a+b) + \\sin(a-b)', 'incorrect'],
  ['\\frac{n(n+1)}{2}', '\\binom{n+1}{2}', 'correct'],
  ['\\frac{n(n+1)}{2}', '\\binom{n}{2}', 'incorrect'],
  ['|x|', 'x', 'incorrect'],
  ['\\sum_{k=1}^{n} k', '\\frac{n(n+1)}{2}', 'unparseable'],
  ['\\int_0^1 x\\,dx', '\\frac12', 'unparseable'],
  ['\\frac{1}{x - x}', '\\frac{2}{x - x}', 'unparseable'],
  ['\\overline{AB}', '\\overline{CD}', 'unparseable'],
  ['F_n = \\sum_{k=0}^{n-1} F_k F_{n-k-1}', 'F_n = \\sum_{k=0}^{n-1} F_{n-k-1} F_k', 'unparseable'],
];
