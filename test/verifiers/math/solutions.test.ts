import { describe, expect, it } from 'vitest';
import { math } from '../../../verifiers/math/index.ts';
import { judge } from '../../verify/judge.ts';

/** Whole solutions the way models write them, each judged against a gold answer. */
describe('math verifier on realistic solutions', () => {
  it.each([
    ['12', 'The perimeter is $\\boxed{12\\text{ inches}}$.'],
    ['\\frac{\\sqrt{3}}{2}', 'So $\\sin 60^\\circ = \\boxed{\\dfrac{\\sqrt3}2}$'],
    ['\\pm 2', 'Hence $x = \\boxed{2}$ or $x = \\boxed{-2}$.'],
    ['3', '**Final Answer**\n\\[\n\\boxed{3}\n\\]'],
    ['20', 'The answer is \\boxed{20}.  <|im_end|>'],
    ['\\$ 32,348', 'In total she pays \\boxed{32348} dollars.'],
    ['2019', 'the year is \\boxed{2,019}'],
    ['5', 'Answer: 5'],
    ['\\text{(C)}', 'Therefore, the answer is \\boxed{\\text{(C)}}'],
    ['4', 'We compute $2+2$. Hence the answer is $4$.'],
  ])('gold %j accepts %j', async (gold, candidate) => {
    expect((await judge(math, gold, candidate)).status).toBe('correct');
  });

  it.each([
    ['3', 'It is either $\\boxed{3}$ or \\boxed{5}, I am not sure.'],
    ['2', 'Since $x^2 = 4$, $x = \\boxed{\\pm 2}$'],
    ['6', 'It is 6.\n\nHuman: next question\n\nAssistant: \\boxed{7}'],
    ['4', 'We compute $2+2=4$. But wait, $2 \\cdot 3 = 6$.'],
    ['5', 'answer: 50'],
    ['3', 'So \\boxed{x=3, y=4}'],
    ['0', 'Thus \\boxed{}'],
    ['\\text{(C)}', 'Therefore, the answer is \\boxed{\\textbf{(B)}}'],
  ])('gold %j rejects %j', async (gold, candidate) => {
    expect((await judge(math, gold, candidate)).status).not.toBe('correct');
  });
});
