import { describe, expect, it } from 'vitest';
import { numeric } from '../../../verifiers/numeric/index.ts';
import { judge } from '../../verify/judge.ts';

// A few-shot "Answer:" is often followed by the reasoning, not by the answer.
describe('numeric: an answer marker whose sentence holds no number', () => {
  it('is passed over, so the first number of the reasoning is not read as the answer', async () => {
    const candidate = "Answer: Let's think step by step. She has 16 - 3 - 4 = 9 eggs, sold at $2 each, so she makes $18";
    expect(await judge(numeric, '18', candidate)).toMatchObject({ status: 'correct', extracted: '18' });
    expect((await judge(numeric, '16', candidate)).status).toBe('incorrect');
  });
});
