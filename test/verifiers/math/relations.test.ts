import { describe, expect, it } from 'vitest';
import { math } from '../../../verifiers/math/index.ts';
import { judge } from '../../verify/judge.ts';

async function verdict(gold: string, candidate: string): Promise<string> {
  return (await judge(math, gold, `Therefore $${candidate}$.`)).status;
}

describe('math equations and inequalities', () => {
  it('accepts equations that are multiples of each other', async () => {
    expect(await verdict('2x + 4y - 3 = 0', 'y = -\\frac{1}{2}x + \\frac{3}{4}')).toBe('correct');
    expect(await verdict('x - 2y + z = 1', '-x + 2y - z + 1 = 0')).toBe('correct');
    expect(await verdict('x - 2y + z = 1', 'x - 2y + z = 2')).toBe('incorrect');
  });

  it('keeps the direction of inequalities', async () => {
    expect(await verdict('x < 1', '-x > -1')).toBe('correct');
    expect(await verdict('x \\le 5', '5 \\ge x')).toBe('correct');
    expect(await verdict('x > 5', 'x < 5')).toBe('incorrect');
    expect(await verdict('x \\ge 5', 'x > 5')).toBe('incorrect');
  });

  it('compares the value when one side only names it', async () => {
    expect(await verdict('11', 'x = 11')).toBe('correct');
    expect(await verdict('k = 3', '3')).toBe('correct');
    expect(await verdict('y = x^2 + 1', 'x^2 + 1')).toBe('correct');
  });

  it('takes the end of a chain of equalities and drops approximations', async () => {
    expect(await verdict('11', 'x = 5 + 5 + 1 = 11')).toBe('correct');
    expect(await verdict('\\frac{1}{3}', 'p = \\frac{1}{3} \\approx 0.33')).toBe('correct');
  });

  it('does not strip a left side that is itself an expression', async () => {
    expect(await verdict('0', 'a + 3z = 0')).toBe('incorrect');
    expect(await verdict('11a + c', '7 = 11a + c')).toBe('incorrect');
  });
});
