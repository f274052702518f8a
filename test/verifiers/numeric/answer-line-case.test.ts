import { describe, expect, it } from 'vitest';
import { numeric } from '../../../verifiers/numeric/index.ts';
import { judge } from '../../verify/judge.ts';

// "A:" marks an answer line; a lowercase "a:" is a variable in the working.
describe('numeric: the A: answer line', () => {
  it('does not take a variable line "a: 3" for the answer', async () => {
    expect(await judge(numeric, '5', 'Let the sides be\na: 3 cm\nb: 4 cm\nso the hypotenuse is 5 cm')).toMatchObject({ status: 'correct', extracted: '5' });
  });

  it('still reads "A: 8", "answer: 8" and "FINAL ANSWER: 8" lines', async () => {
    for (const line of ['A: 8', 'answer: 8', 'FINAL ANSWER: 8']) {
      expect((await judge(numeric, '8', `work 1 2 3\n${line}\nchecked with 9`, { extract: ['answer-line'] })).extracted).toBe('8');
    }
  });
});
