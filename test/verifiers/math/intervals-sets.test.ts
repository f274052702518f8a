import { describe, expect, it } from 'vitest';
import { math } from '../../../verifiers/math/index.ts';
import { judge } from '../../verify/judge.ts';

async function verdict(gold: string, candidate: string, options: Record<string, unknown> = {}): Promise<string> {
  return (await judge(math, gold, `so the answer is $${candidate}$`, options)).status;
}

describe('math intervals, sets and tuples', () => {
  it('distinguishes open and closed ends', async () => {
    expect(await verdict('[0, 1)', '[0,1)')).toBe('correct');
    expect(await verdict('[0, 1)', '[0, 1]')).toBe('incorrect');
    expect(await verdict('(0, 1)', '[0, 1)')).toBe('incorrect');
  });

  it('compares interval ends by value', async () => {
    expect(await verdict('(\\frac{3}{5}, \\frac{8}{3}]', '(0.6, 2.6666667]')).toBe('correct');
  });

  it('ignores the bracket at an infinite end and compares unions as sets', async () => {
    expect(await verdict('(-\\infty, 2] \\cup (3, \\infty)', '(3, \\infty] \\cup (-\\infty, 2]')).toBe('correct');
    expect(await verdict('(-\\infty, 2] \\cup (3, \\infty)', '(-\\infty, 2] \\cup [3, \\infty)')).toBe('incorrect');
  });

  it('treats sets and bare lists as unordered, tuples as ordered', async () => {
    expect(await verdict('\\{1, 2, 3\\}', '\\{3, 1, 2\\}')).toBe('correct');
    expect(await verdict('1, 2, 3', '3, 2, 1')).toBe('correct');
    expect(await verdict('(1, 2)', '(2, 1)')).toBe('incorrect');
    expect(await verdict('1, 2, 3', '1, 2')).toBe('incorrect');
  });

  it('orders bare lists when asked', async () => {
    expect(await verdict('1, 2, 3', '3, 2, 1', { lists: 'ordered' })).toBe('incorrect');
  });

  it('expands \\pm into both values', async () => {
    expect(await verdict('1 \\pm \\sqrt{2}', '1 - \\sqrt2, 1 + \\sqrt 2')).toBe('correct');
    expect(await verdict('\\pm 3', '3')).toBe('incorrect');
  });

  it('reads labelled items and groups repeated labels into tuples', async () => {
    expect(await verdict('x = 2, y = 3', '2, 3')).toBe('correct');
    expect(await verdict('(1, 2), (3, 4)', 'a = 3, b = 4, a = 1, b = 2')).toBe('correct');
  });

  it('matches an inequality with the interval it describes', async () => {
    expect(await verdict('[-2, 7]', '-2 \\le x \\le 7')).toBe('correct');
    expect(await verdict('(5, \\infty)', 'x > 5')).toBe('correct');
    expect(await verdict('[5, \\infty)', 'x > 5')).toBe('incorrect');
    expect(await verdict('[-2, 7]', '-2 \\le x \\le 7', { setRelations: false })).toBe('incorrect');
  });

  it('reads x \\in S as S', async () => {
    expect(await verdict('(2, 12) \\cup (12, 102)', 'x \\in (2,12) \\cup (12,102)')).toBe('correct');
  });
});
