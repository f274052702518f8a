import { describe, expect, it } from 'vitest';
import { exactMatch } from '../../../verifiers/exact-match/index.ts';
import { judge } from '../../verify/judge.ts';

const choices = { choices: 'ABCD' };

describe('exact-match multiple choice', () => {
  it.each([
    ['(B)', 'I compared them all, so the answer is (B).'],
    ['B', 'B) because the slope is positive'],
    ['B', 'Answer: B'],
    ['b', '(B)'],
    ['B', 'b'],
    ['B', 'Between (A) and (B), the better is (B).'],
  ])('gold %j, candidate %j → correct B', async (gold, candidate) => {
    expect(await judge(exactMatch, gold, candidate, choices)).toMatchObject({ status: 'correct', extracted: 'B' });
  });

  it('marks a different letter incorrect', async () => {
    expect(await judge(exactMatch, 'C', 'The answer is A', choices)).toMatchObject({ status: 'incorrect', extracted: 'A' });
  });

  it('does not read the article "a" in prose as choice A', async () => {
    expect((await judge(exactMatch, 'A', 'the answer is a long story', choices)).status).toBe('unparseable');
  });

  it('ignores letters outside the choices', async () => {
    expect((await judge(exactMatch, 'A', 'The answer is (E)', choices)).status).toBe('unparseable');
  });

  it('reports a gold outside the choices as an error', async () => {
    expect((await judge(exactMatch, 'F', 'A', choices)).status).toBe('error');
  });
});
