import { describe, expect, it } from 'vitest';
import { math } from '../../../verifiers/math/index.ts';
import { judge } from '../../verify/judge.ts';

async function verdict(gold: string, candidate: string, percent?: string): Promise<string> {
  return (await judge(math, gold, `\\boxed{${candidate}}`, percent ? { percent } : {})).status;
}

describe('math percent policy', () => {
  it('by default accepts p% as p or as p/100', async () => {
    expect(await verdict('28\\%', '28')).toBe('correct');
    expect(await verdict('28\\%', '0.28')).toBe('correct');
    expect(await verdict('28\\%', '28 percent')).toBe('correct');
    expect(await verdict('0.28', '28\\%')).toBe('correct');
    expect(await verdict('28\\%', '0.29')).toBe('incorrect');
  });

  it('"fraction" reads p% only as p/100', async () => {
    expect(await verdict('28\\%', '0.28', 'fraction')).toBe('correct');
    expect(await verdict('28\\%', '28', 'fraction')).toBe('incorrect');
  });

  it('"ignore" drops the percent sign', async () => {
    expect(await verdict('28\\%', '28', 'ignore')).toBe('correct');
    expect(await verdict('28\\%', '0.28', 'ignore')).toBe('incorrect');
  });
});
