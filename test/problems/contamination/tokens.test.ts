import { describe, expect, it } from 'vitest';
import { tokenize } from '../../../src/problems/contamination/tokens.ts';

describe('contamination text normalization', () => {
  it('ignores case, white space and punctuation', () => {
    expect(tokenize('  Jonah buys 2 loaves,\n at $2 each!  ')).toEqual(tokenize('jonah BUYS 2 loaves at 2 each'));
    expect(tokenize('“What’s left?”')).toEqual(['what', 's', 'left']);
    expect(tokenize('on Monday -- how many')).toEqual(['on', 'monday', 'how', 'many']);
    expect(tokenize('the constructor toString')).toEqual(['the', 'constructor', 'tostring']);
  });

  it('keeps numbers whole and distinct', () => {
    expect(tokenize('3 apples')).not.toEqual(tokenize('4 apples'));
    expect(tokenize('1,000 apples')).toEqual(tokenize('1000 apples'));
    expect(tokenize('3.50 and 3.5')).toEqual(['3.50', 'and', '3.5']);
    // A comma that is not a thousands group separates numbers: a list, or a pair.
    expect(tokenize('(1,23) and 1,2345')).toEqual(['1', '23', 'and', '1', '2345']);
    expect(tokenize('two loaves and twenty rolls')).toEqual(tokenize('2 loaves and 20 rolls'));
  });

  it('keeps operators, so different arithmetic is different text', () => {
    expect(tokenize('05800+83970=')).toEqual(['05800', '+', '83970', '=']);
    expect(tokenize('2+3')).not.toEqual(tokenize('2-3'));
    expect(tokenize('3 × 4 − 1')).toEqual(tokenize('3*4-1'));
    expect(tokenize('$\\frac{1}{2} + x^2 \\le 5$')).toEqual(['frac', '1', '2', '+', 'x', '^', '2', '≤', '5']);
    expect(tokenize('$3 \\times 4 \\leq x$')).toEqual(tokenize('3 × 4 ≤ x'));
    expect(tokenize('x-y=10')).toEqual(tokenize('x - y = 10'));
    expect(tokenize('x-y=10')).not.toEqual(tokenize('x+y=10'));
  });

  it('reads compatibility forms of characters as their plain form', () => {
    expect(tokenize('ﬁve ＡＢＣ ½')).toEqual(['5', 'abc', '1', '/', '2']);
  });
});
