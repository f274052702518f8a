import { describe, expect, it } from 'vitest';
import { numeric } from '../../../verifiers/numeric/index.ts';
import { judge } from '../../verify/judge.ts';

describe('numeric: a negated "the answer is" is not an answer', () => {
  it('does not read the number a solution rules out', async () => {
    expect((await judge(numeric, '5', "The answer isn't 5, it's 6.")).status).toBe('incorrect');
    expect((await judge(numeric, '12', 'The answer is not 12; it is 13.')).status).toBe('incorrect');
  });

  it('still reads the affirmed answer', async () => {
    expect((await judge(numeric, '6', "The answer isn't 5. The answer is 6.")).status).toBe('correct');
  });
});
