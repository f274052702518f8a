import { describe, expect, it } from 'vitest';
import { numeric } from '../../../verifiers/numeric/index.ts';
import { judge } from '../../verify/judge.ts';

describe('numeric: "the answer is" followed by a calculation', () => {
  it('reads the result after the last "=", not the first operand', async () => {
    expect((await judge(numeric, '7', 'The answer is 3 + 4 = 7.')).status).toBe('correct');
    expect((await judge(numeric, '3', 'The answer is 3 + 4 = 7.')).status).toBe('incorrect');
    expect((await judge(numeric, '18', 'So the answer is 9 * $2 = $18 per day.')).status).toBe('correct');
  });

  it('keeps the stated answer when a later sentence checks it', async () => {
    expect((await judge(numeric, '18', 'The answer is 18. Check: 20 - 2 = 18.')).extracted).toBe('18');
    expect((await judge(numeric, '3.14', 'The answer is 3.14. Then 2 = 2.')).extracted).toBe('3.14');
  });

  it('keeps the stated answer when an equation after it only explains it', async () => {
    expect((await judge(numeric, '42', 'The answer is 42 (= 6 × 7).')).extracted).toBe('42');
    expect((await judge(numeric, '5', 'The answer is x = 5.')).extracted).toBe('5');
  });
});
