import { describe, expect, it } from 'vitest';
import { numeric } from '../../../verifiers/numeric/index.ts';
import { judge } from '../../verify/judge.ts';

// Chat models write markdown: a level-4 heading also starts with "####", but holds no answer.
describe('numeric: a markdown heading is not a GSM8K #### answer line', () => {
  const solution = '#### Step 1: Eggs left\n16 - 3 - 4 = 9\n#### Step 2: Money\n9 * 2 = 18\nThe answer is 18.';

  it('reads the stated answer, not the step number of the last heading', async () => {
    expect(await judge(numeric, '18', solution)).toMatchObject({ status: 'correct', extracted: '18' });
    expect((await judge(numeric, '2', solution)).status).toBe('incorrect');
  });

  it('still reads #### lines that give the answer, with currency, sign or emphasis', async () => {
    expect((await judge(numeric, '18', 'So 9 * 2 = 18.\n#### 18')).extracted).toBe('18');
    expect((await judge(numeric, '18', 'So 9 * 2 = 18.\n#### $18')).extracted).toBe('18');
    expect((await judge(numeric, '-5', 'work\n#### −5')).extracted).toBe('-5');
    expect((await judge(numeric, '18', 'work\n#### **18**')).extracted).toBe('18');
    expect((await judge(numeric, '18', 'work\n#### Final answer: 18')).extracted).toBe('18');
  });
});
