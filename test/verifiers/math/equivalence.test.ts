import { describe, expect, it } from 'vitest';
import { math } from '../../../verifiers/math/index.ts';
import { judge } from '../../verify/judge.ts';

async function verdict(gold: string, candidate: string, options: Record<string, unknown> = {}): Promise<string> {
  return (await judge(math, gold, `The answer is $\\boxed{${candidate}}$.`, options)).status;
}

describe('math equivalence cascade', () => {
  it.each([
    ['\\frac{1}{2}', '0.5'],
    ['\\dfrac{3}{4}', '\\tfrac34'],
    ['2\\sqrt{2}', '\\sqrt{8}'],
    ['\\frac{\\sqrt{3}}{3}', '\\frac{1}{\\sqrt3}'],
    ['1000', '1{,}000'],
    ['1000', '1,\\!000'],
    ['033', '33'],
    ['7\\frac{1}{2}', '7.5'],
    ['\\pi', '3.14159265'],
    ['x^2 - 1', '(x-1)(x+1)'],
    ['\\tan^2 x + 1', '\\sec^2 x'],
    ['2\\sin b\\cos a', '\\sin(a+b) - \\sin(a-b)'],
    ['\\frac{x+2}{7}', '\\frac{x}{7}+\\frac{2}{7}'],
    ['\\binom{10}{3}', '120'],
    ['5!', '120'],
    ['\\log_2 8', '3'],
    ['3 + 4i', '4i + 3'],
    ['\\infty', '+\\infty'],
    ['1500', '1.5e3'],
    ['\\frac{n(n+1)}{2}', '\\binom{n+1}{2}'],
    ['\\{1, 2\\}', '\\lbrace 2, 1 \\rbrace'],
  ])('%s equals %s', async (gold, candidate) => {
    expect(await verdict(gold, candidate)).toBe('correct');
  });

  it.each([
    ['\\frac{1}{2}', '0.52'],
    ['2\\sqrt{2}', '\\sqrt{2}'],
    ['x^2 - 1', '(x-1)^2'],
    ['|x|', 'x'],
    ['x + 1', 'y + 1'],
    ['5', '5.001'],
    ['12345678901234567891', '12345678901234567890'],
    ['10^{12}', '10^{12} + 1'],
    ['\\infty', '10^{400}'],
    ['1 - \\frac{1}{e}', '1 + \\frac{1}{e}'],
  ])('%s differs from %s', async (gold, candidate) => {
    expect(await verdict(gold, candidate)).toBe('incorrect');
  });

  it('rounds to the stated precision when one is set', async () => {
    expect(await verdict('\\frac{1}{3}', '0.333333')).toBe('correct');
    expect(await verdict('\\frac{1}{3}', '0.33')).toBe('incorrect');
    expect(await verdict('\\frac{1}{3}', '0.33', { precision: 2 })).toBe('correct');
    expect(await verdict('\\frac{1}{3}', '0.333', { precision: 4 })).toBe('incorrect');
  });

  it('honours a relative tolerance', async () => {
    expect(await verdict('1.0001', '1')).toBe('incorrect');
    expect(await verdict('1.0001', '1', { relativeTolerance: 1e-4 })).toBe('correct');
  });

  it('strips degrees, units and currency', async () => {
    expect(await verdict('90^\\circ', '90')).toBe('correct');
    expect(await verdict('\\frac{\\pi}{2}', '90^{\\circ}')).toBe('incorrect');
    expect(await verdict('\\frac{\\pi}{3}', '90°')).toBe('incorrect');
    expect(await verdict('15', '15\\text{ cm}^2')).toBe('correct');
    expect(await verdict('\\$18.50', '18.5')).toBe('correct');
    expect(await verdict('15', '16\\mbox{ cm}')).toBe('incorrect');
  });

  it('compares words case-insensitively and exactly otherwise', async () => {
    expect(await verdict('\\text{Evelyn}', 'evelyn')).toBe('correct');
    expect(await verdict('\\text{odd}', '\\text{even}')).toBe('incorrect');
  });

  it('compares matrices entry by entry, evaluating matrix arithmetic', async () => {
    expect(await verdict('\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}', '\\begin{bmatrix} 1 & 2 \\\\ 3 & 4 \\end{bmatrix}')).toBe('correct');
    expect(await verdict('\\begin{pmatrix} 2 & 0 \\\\ 0 & 2 \\end{pmatrix}', '2\\begin{pmatrix} 1 & 0 \\\\ 0 & 1 \\end{pmatrix}')).toBe('correct');
    expect(await verdict('\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}', '\\begin{pmatrix} 1 & 2 \\\\ 3 & 5 \\end{pmatrix}')).toBe('incorrect');
  });

  it('gives equal constants the same extracted text for majority voting', async () => {
    const a = await judge(math, '1', '\\boxed{\\frac{1}{2}}');
    const b = await judge(math, '1', '\\boxed{0.5}');
    expect(a.extracted).toBe('0.5');
    expect(b.extracted).toBe('0.5');
  });
});
