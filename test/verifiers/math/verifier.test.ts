import { describe, expect, it } from 'vitest';
import { parseVerifierOptions } from '../../../src/verify/run.ts';
import { math } from '../../../verifiers/math/index.ts';
import { judge } from '../../verify/judge.ts';

describe('math verifier contract', () => {
  it('is an error when the problem has no gold answer', async () => {
    expect(await judge(math, undefined, '\\boxed{3}')).toMatchObject({ status: 'error', score: 0 });
    expect(await judge(math, '  ', '\\boxed{3}')).toMatchObject({ status: 'error', score: 0 });
  });

  it('scores a correct answer 1 and reports what it read', async () => {
    const verdict = await judge(math, '\\frac{14}{3}', 'Adding up, $2+\\frac{5}{3}+1=\\boxed{\\frac{14}{3}}$');
    expect(verdict).toMatchObject({ status: 'correct', score: 1 });
    expect(verdict.reason).toContain('boxed');
  });

  it('fills every option with a default and rejects unknown ones', () => {
    expect(parseVerifierOptions(math, {})).toMatchObject({ lists: 'unordered', percent: 'either', relativeTolerance: 0, setRelations: true });
    expect(parseVerifierOptions(math, {})).not.toHaveProperty('precision');
    expect(() => parseVerifierOptions(math, { tolerance: 0.1 })).toThrow(/tolerance/);
    expect(() => parseVerifierOptions(math, { percent: 'maybe' })).toThrow(/percent/);
  });
});
