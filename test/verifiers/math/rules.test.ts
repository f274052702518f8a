import { describe, expect, it } from 'vitest';
import { judgeMath } from '../../../verifiers/math/judge.ts';
import { MathOptions } from '../../../verifiers/math/options.ts';
import { ruleTables } from './cases/index.ts';

const options = MathOptions.parse({});

describe.each(Object.entries(ruleTables))('math rule: %s', (_rule, cases) => {
  it.each(cases)('gold %j, boxed %j → %s', (gold, prediction, expected) => {
    const verdict = judgeMath(gold, `So the final answer is $\\boxed{${prediction}}$.`, options);
    expect(verdict.status, verdict.reason).toBe(expected);
  });
});

describe('math rule: base subscripts and mixed numbers outside a box', () => {
  it.each([
    ['4210_{7}', '4210_7', 'correct'],
    ['4210_{7}', '$4210_7$', 'correct'],
    ['4210_7', 'The answer is $4211_7$.', 'incorrect'],
    ['1.5', '1 1/2', 'correct'],
    ['\\frac12', '1 1/2', 'incorrect'],
    ['10', '10 weeks', 'correct'],
  ])('gold %j, candidate %j → %s', (gold, candidate, expected) => {
    const verdict = judgeMath(gold, candidate, options);
    expect(verdict.status, verdict.reason).toBe(expected);
  });
});

describe('math rule: explicit precision and tolerance options', () => {
  it.each([
    [{ precision: 2 }, '\\frac13', '0.33', 'correct'],
    [{ precision: 4 }, '\\frac13', '0.333', 'incorrect'],
    [{ precision: 3 }, '\\frac13', '0.333', 'correct'],
    [{ relativeTolerance: 1e-4 }, '1.0001', '1', 'correct'],
    [{ relativeTolerance: 1e-4 }, '1.001', '1', 'incorrect'],
  ] as const)('%j: gold %j, boxed %j → %s', (set, gold, prediction, expected) => {
    const verdict = judgeMath(gold, `\\boxed{${prediction}}`, MathOptions.parse(set));
    expect(verdict.status, verdict.reason).toBe(expected);
  });
});
