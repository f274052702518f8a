import { describe, expect, it } from 'vitest';
import { exactMatch } from '../../../verifiers/exact-match/index.ts';
import { judge } from '../../verify/judge.ts';

// Models tuned on MATH-style data box their final answer even for short text and letter answers.
describe('exact-match reads a \\boxed{} final answer', () => {
  it('takes the last box as the answer text', async () => {
    expect(await judge(exactMatch, 'Paris', 'It is not Lyon. The final answer is $\\boxed{Paris}$.')).toMatchObject({ status: 'correct', extracted: 'paris' });
    expect(await judge(exactMatch, 'Paris', 'Answer: $\\boxed{\\text{Paris}}$')).toMatchObject({ status: 'correct', extracted: 'paris' });
    expect((await judge(exactMatch, 'Paris', 'First \\boxed{Paris}, then I fix it: \\boxed{Lyon}')).status).toBe('incorrect');
  });

  it('reads a boxed choice letter', async () => {
    const choices = { choices: 'ABCD' };
    expect(await judge(exactMatch, 'C', 'The final answer is $\\boxed{C}$.', choices)).toMatchObject({ status: 'correct', extracted: 'C' });
    expect(await judge(exactMatch, 'C', 'Option C looks close, but the answer is \\boxed{(B)}', choices)).toMatchObject({ status: 'incorrect', extracted: 'B' });
    expect(await judge(exactMatch, 'B', '\\boxed{\\text{B}}', choices)).toMatchObject({ status: 'correct', extracted: 'B' });
  });
});
