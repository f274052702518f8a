import { describe, expect, it } from 'vitest';
import { extractAnswers } from '../../../verifiers/math/extract.ts';
import { math } from '../../../verifiers/math/index.ts';
import { judge } from '../../verify/judge.ts';

const first = (text: string, plainNumbers = true) => extractAnswers(text, { plainNumbers })[0];

describe('math answer extraction', () => {
  it('takes the last box, matching nested braces', () => {
    expect(first('First \\boxed{1}. Later we find \\boxed{\\frac{3}{\\sqrt{2}}} in the end.')).toEqual({ text: '\\frac{3}{\\sqrt{2}}', source: 'boxed' });
  });

  it('reads \\fbox and JSON-escaped \\\\boxed', () => {
    expect(first('so \\fbox{12}')?.text).toBe('12');
    expect(first('so \\\\boxed{7}\\n')?.text).toBe('7');
  });

  it('joins boxes separated only by a connective into one answer', () => {
    expect(first('The roots are \\boxed{2} and \\boxed{-3}.')?.text).toBe('2, -3');
    expect(first('First \\boxed{2}. After a long detour through many other facts we get \\boxed{5}.')?.text).toBe('5');
  });

  it('prefers a "final answer" stated after an intermediate box', () => {
    expect(first('The interest is \\boxed{255}. So she has 10,455 in all. Final Answer: The final answer is $10,455$. I hope it is correct.')).toEqual({
      text: '10,455',
      source: 'final-answer',
    });
  });

  it('reads the sentence after "answer is" when there is no box', () => {
    expect(first('After simplifying, the answer is 42 apples.')?.text).toBe('42');
    expect(first('Final Answer: The largest value of $n$ is 17.')?.text).toBe('17');
  });

  it('falls back to the last math environment, then the last number in prose', () => {
    expect(first('We get $x = 3$. Then $y = 4$.')?.text).toBe('y = 4');
    expect(first('The solutions are $x = 3$ and $x = 4$.')?.text).toBe('x = 3, x = 4');
    expect(first('She has 3 apples and buys 4 more, so 7 in total.')?.text).toBe('7');
  });

  it('does not let inline math cross a line break', () => {
    expect(extractAnswers('Answer $\n9\n$', { plainNumbers: false })).toEqual([]);
    expect(first('Answer $$\n9\n$$', false)?.text).toBe('9');
  });

  it('ignores what a reasoning model wrote before </think>', () => {
    expect(first('<think>maybe \\boxed{4}</think> The result is \\boxed{5}')?.text).toBe('5');
  });

  it('is unparseable when the candidate holds no answer at all', async () => {
    expect(await judge(math, '4', 'I am not sure how to solve this problem.')).toMatchObject({ status: 'unparseable', score: 0 });
  });

  it('does not read a digit inside a word as a number', async () => {
    expect((await judge(math, '2', 'the code is AZYUK2A')).status).not.toBe('correct');
  });

  it('reads a wrapped gold answer first', async () => {
    expect(await judge(math, '$\\boxed{\\frac{1}{2}}$', 'so we get $0.5$')).toMatchObject({ status: 'correct' });
  });
});
