import { describe, expect, it } from 'vitest';
import { numeric } from '../../../verifiers/numeric/index.ts';
import { judge } from '../../verify/judge.ts';

describe('numeric: a correction after "the answer is" replaces the stated answer', () => {
  it.each([
    'The answer is 12. Actually 13.',
    'The answer is 12. Wait, it is 13.',
    'The answer is 12... oops, make that 13.',
    'Answer: 12\nCorrection: 13',
  ])('%j is read as 13', async (candidate) => {
    expect(await judge(numeric, '12', candidate)).toMatchObject({ status: 'incorrect', extracted: '13' });
  });

  it('keeps the answer when a later remark only checks it', async () => {
    expect((await judge(numeric, '12', 'The answer is 12. Wait, check: 12 = 3 * 4, yes.')).extracted).toBe('12');
    expect((await judge(numeric, '12', 'The answer is 12. Actually, that matches 3 * 4.')).extracted).toBe('12');
  });
});
