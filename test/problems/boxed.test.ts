import { describe, expect, it } from 'vitest';
import { lastBoxed } from '../../src/problems/index.ts';

describe('lastBoxed', () => {
  it('matches nested braces and takes the last box', () => {
    expect(lastBoxed('$\\boxed{1}$ then $\\boxed{\\frac{\\sqrt{2}}{2}}$')).toBe('\\frac{\\sqrt{2}}{2}');
    expect(lastBoxed('\\fbox{7}')).toBe('7');
    expect(lastBoxed('\\boxed {x+1}')).toBe('x+1');
  });

  it('treats escaped braces as content', () => {
    expect(lastBoxed('\\boxed{\\{a\\}}')).toBe('\\{a\\}');
  });

  it('is undefined without a closed box', () => {
    expect(lastBoxed('no box here')).toBeUndefined();
    expect(lastBoxed('\\boxed{\\frac{1}{2}')).toBeUndefined();
  });
});
