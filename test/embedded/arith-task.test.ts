import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { arithCompletion, arithProblem, randomArithProblem, WIDTH } from '../../src/embedded/arith.ts';
import { goldControlExamples } from '../../src/embedded/control.ts';
import { Rng } from '../../src/embedded/rng.ts';
import { Problem } from '../../src/schema/problem.ts';

const unreverse = (s: string) => Number([...s].reverse().join(''));

describe('reversed fixed-width addition', () => {
  it('writes operands and answer least-significant digit first, zero-padded', () => {
    expect(arithProblem(12345, 67890, 5)).toMatchObject({ prompt: '54321+09876=', answer: '532080' });
    expect(arithProblem(12, 34, 2)).toMatchObject({ prompt: '21000+43000=', answer: '640000' });
  });

  it('random problems have correct answers, the right width and a non-zero first answer digit', () => {
    const rng = new Rng(3);
    for (const digits of [1, 2, 3, 4, 5]) {
      for (let i = 0; i < 200; i++) {
        const p = randomArithProblem(rng, digits);
        expect(p.a).toBeLessThan(10 ** digits);
        expect(unreverse(p.answer)).toBe(p.a + p.b);
        expect(p.answer).toHaveLength(WIDTH + 1);
        expect(p.answer[0]).not.toBe('0');
        expect(arithCompletion(p)).toBe(p.answer);
      }
    }
  });

  it('gold control examples are easy problems in the chat shape of a round dataset', () => {
    const examples = goldControlExamples(50, 1);
    expect(examples).toHaveLength(50);
    expect(goldControlExamples(50, 1)).toEqual(examples);
    for (const { messages } of examples) {
      expect(messages.map((m) => m.role)).toEqual(['user', 'assistant']);
      const [a, b] = messages[0].content.slice(0, -1).split('+').map(unreverse);
      expect(Math.max(a, b)).toBeLessThan(1000);
      expect(unreverse(messages[1].content)).toBe(a + b);
    }
  });

  it('the shipped problem files parse as problems with gold answers and eval groups', () => {
    for (const file of ['train', 'eval']) {
      const lines = readFileSync(new URL(`../../problems/arith/${file}.jsonl`, import.meta.url), 'utf8').trim().split('\n');
      const problems = lines.map((l) => Problem.parse(JSON.parse(l)));
      expect(new Set(problems.map((p) => p.id)).size).toBe(problems.length);
      for (const p of problems) {
        const meta = p.meta as { a: number; b: number; group: string };
        expect(p).toMatchObject({ split: file, prompt: arithProblem(meta.a, meta.b, 5).prompt });
        expect(unreverse(p.answer!)).toBe(meta.a + meta.b);
      }
      if (file === 'eval') {
        const groups = problems.map((p) => (p.meta as { group: string }).group);
        expect(groups.filter((g) => g === '4-digit').length).toBeGreaterThanOrEqual(200);
        expect(groups.filter((g) => g === '5-digit').length).toBeGreaterThanOrEqual(200);
      }
    }
  });
});
