import { describe, expect, it } from 'vitest';
import { numeric } from '../../../verifiers/numeric/index.ts';
import { judge } from '../../verify/judge.ts';

/** (gold, candidate, verdict, number read): the final answer stated, and answers that state none. */
describe('numeric: the final answer of the final sentence', () => {
  it.each([
    ['720', 'The answer is $3! \\times 5! = \\boxed{720}$', 'correct', '720'],
    ['3', 'The answer is $3! \\times 5! = \\boxed{720}$', 'incorrect', '720'],
    ['18', 'the desired answer is $\\sqrt{17}^2 = \\boxed{18}$', 'correct', '18'],
    ['17', 'the desired answer is $\\sqrt{17}^2 = \\boxed{18}$', 'incorrect', '18'],
    ['5', 'So the answer is \\boxed{5}.', 'correct', '5'],
    ['7', 'The answer is 7.\n\\boxed{10} and 11 apples', 'correct', '7'],
    ['8', 'The answer is $\\boxed{7}$. Actually no, 8.', 'correct', '8'],
  ])('gold %j, %j → %s, read %s', async (gold, candidate, status, extracted) => {
    expect(await judge(numeric, gold, candidate)).toMatchObject({ status, extracted });
  });

  it.each([
    ['42', 'The answer is 42 (or 41)'],
    ['41', 'The answer is 42 (or 41)'],
    ['42', 'The answer is 42, or maybe 41.'],
    ['42', 'The answer is 42-1.'],
    ['41', 'The answer is 42-1.'],
    ['42', 'The answer is 40 + 2'],
    ['42', 'The answer is 42. Actually no, 41.'],
    ['42', 'Answer: 42 or 43'],
  ])('gold %j: %j is hedged, unevaluated or corrected, never correct', async (gold, candidate) => {
    expect((await judge(numeric, gold, candidate)).status).toBe('incorrect');
  });

  it.each([
    ['42', 'The answer is 42.'],
    ['42', 'The answer is 42 (= 6 × 7).'],
    ['42', 'The answer is 40 + 2 = 42.'],
    ['0.75', 'The answer is 3/4.'],
    ['-5', 'The answer is -5.'],
    ['42', 'The answer is 42 or more? No: exactly 42.'],
  ])('gold %j: the near miss %j is still one stated answer', async (gold, candidate) => {
    expect((await judge(numeric, gold, candidate)).status).toBe('correct');
  });
});
