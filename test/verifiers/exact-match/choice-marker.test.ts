import { describe, expect, it } from 'vitest';
import { exactMatch } from '../../../verifiers/exact-match/index.ts';
import { judge } from '../../verify/judge.ts';

const choices = { choices: 'ABCD' };

describe('exact-match multiple choice: the stated answer outranks other options named', () => {
  it('reads "the answer is B" even when a later sentence names option D', async () => {
    expect(await judge(exactMatch, 'D', 'The answer is B; option D is wrong because the sign flips.', choices)).toMatchObject({
      status: 'incorrect',
      extracted: 'B',
    });
    expect(await judge(exactMatch, 'B', 'Answer: B. Choice C fails the units check.', choices)).toMatchObject({ status: 'correct', extracted: 'B' });
  });

  it('still falls back to a named option when no answer is stated', async () => {
    expect(await judge(exactMatch, 'C', 'After elimination, option C remains.', choices)).toMatchObject({ status: 'correct', extracted: 'C' });
  });
});
