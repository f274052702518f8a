import { describe, expect, it } from 'vitest';
import { numeric } from '../../../verifiers/numeric/index.ts';
import { judge } from '../../verify/judge.ts';

// Few-shot "Q: … A: …" prompts make models write their whole reasoning on the A: line.
describe('numeric: an A: line that holds reasoning is not an answer line', () => {
  it('reads the final number of the reasoning, not the first one on the line', async () => {
    const candidate = 'A: She has 16 - 3 - 4 = 9 eggs left. She sells them for 9 * $2 = $18.';
    expect(await judge(numeric, '18', candidate)).toMatchObject({ status: 'correct', extracted: '18' });
    expect((await judge(numeric, '9', candidate)).status).toBe('incorrect');
  });

  it('still reads a short A: line', async () => {
    expect((await judge(numeric, '72', 'Natalia sold 48 + 24 clips.\nA: 72 clips.\nThat used 3 steps.')).extracted).toBe('72');
    expect((await judge(numeric, '18', 'work: 9 * 2\nA: $18\nchecked in 2 ways')).extracted).toBe('18');
  });
});
