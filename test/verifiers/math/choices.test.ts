import { describe, expect, it } from 'vitest';
import { math } from '../../../verifiers/math/index.ts';
import { judge } from '../../verify/judge.ts';

describe('math multiple-choice letters', () => {
  it.each([
    ['C', 'After checking each option, the answer is C.'],
    ['(B) 12 apples', 'B'],
    ['\\text{(D)}', '$\\boxed{\\text{D}}$'],
    ['A', 'A. because the other options fail'],
    ['E', 'It cannot be A or B, so I pick E'],
  ])('gold %j accepts %j', async (gold, candidate) => {
    expect(await judge(math, gold, candidate)).toMatchObject({ status: 'correct' });
  });

  it('rejects another letter', async () => {
    expect(await judge(math, '(A) Cecile', 'C')).toMatchObject({ status: 'incorrect', extracted: 'C' });
  });

  it('does not treat a letter inside a formula as a choice', async () => {
    expect((await judge(math, 'E', 'E*2')).status).toBe('incorrect');
  });

  it('does not scavenge a letter from working whose stated answer is no letter', async () => {
    expect((await judge(math, '\\text{(E)}', 'Point $E$ lies on the circle, so angle $AEB$ is $\\boxed{145^\\circ}$.')).status).toBe('incorrect');
    expect((await judge(math, 'E', 'Since $E$ is the midpoint, the answer is 12.')).status).toBe('incorrect');
  });

  it('can be switched off', async () => {
    expect((await judge(math, '(A) Cecile', 'A')).status).toBe('correct');
    expect((await judge(math, '(A) Cecile', 'A', { choices: 'off' })).status).not.toBe('correct');
  });
});
