import { describe, expect, it } from 'vitest';
import { numeric } from '../../../verifiers/numeric/index.ts';
import { judge } from '../../verify/judge.ts';

const mixed = 'First 3 + 4 = 7.\nThe answer is 7.\nA: 8\n#### 9\n\\boxed{10} and 11 apples';

describe('numeric extraction order', () => {
  it('prefers #### over every other marker by default', async () => {
    expect((await judge(numeric, '9', mixed)).extracted).toBe('9');
  });

  it('then "the answer is", then the A: line, then \\boxed, then the last number', async () => {
    const withoutHash = mixed.replace('#### 9\n', '');
    expect((await judge(numeric, '0', withoutHash)).extracted).toBe('7');
    expect((await judge(numeric, '0', withoutHash.replace('The answer is 7.\n', ''))).extracted).toBe('8');
    expect((await judge(numeric, '0', 'Work: 2 + 3.\n\\boxed{5} then 6 more')).extracted).toBe('5');
    expect((await judge(numeric, '0', 'Work: 2 + 3 = 5, plus 1 is 6')).extracted).toBe('6');
  });

  it('follows the order given in options', async () => {
    expect((await judge(numeric, '0', mixed, { extract: ['boxed', 'hash'] })).extracted).toBe('10');
    expect((await judge(numeric, '0', mixed, { extract: ['last-number'] })).extracted).toBe('11');
    expect((await judge(numeric, '0', mixed, { extract: ['answer-line'] })).extracted).toBe('8');
  });

  it('is unparseable when the listed markers are absent, even if numbers are present', async () => {
    expect((await judge(numeric, '6', 'Work: 2 + 3 = 5, plus 1 is 6', { extract: ['hash', 'boxed'] })).status).toBe('unparseable');
  });

  it('takes the last marker when a solution restates its answer', async () => {
    expect((await judge(numeric, '12', 'The answer is 10. Wait, I erred: the answer is 12.')).extracted).toBe('12');
  });

  it('reads LaTeX fractions and nested braces inside \\boxed', async () => {
    expect((await judge(numeric, '0.75', 'So \\boxed{\\frac{3}{4}}')).status).toBe('correct');
    expect((await judge(numeric, '1000', '\\boxed{\\$1{,}000}')).status).toBe('correct');
  });
});
