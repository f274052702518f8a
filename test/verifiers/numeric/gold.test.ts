import { describe, expect, it } from 'vitest';
import { numeric } from '../../../verifiers/numeric/index.ts';
import { judge } from '../../verify/judge.ts';

describe('numeric gold parsing', () => {
  it('reads a worked gold solution by its #### line', async () => {
    const gold = 'She has 16 - 3 - 4 = <<16-3-4=9>>9 eggs.\nShe makes 9 * 2 = $<<9*2=18>>18.\n#### 18';
    expect((await judge(numeric, gold, 'A: 18')).status).toBe('correct');
  });

  it('reads a plain gold whole, so 3/4 is three quarters, not 4', async () => {
    expect((await judge(numeric, '3/4', '0.75')).status).toBe('correct');
    expect((await judge(numeric, '1,000', '1000')).status).toBe('correct');
  });

  it('is an error, never a pass, when the gold is missing or holds no number', async () => {
    expect(await judge(numeric, undefined, '42')).toMatchObject({ status: 'error', score: 0 });
    expect(await judge(numeric, 'forty-two', '42')).toMatchObject({ status: 'error', score: 0 });
  });
});
