import { describe, expect, it } from 'vitest';
import { loadProblems } from '../../src/problems/index.ts';
import { fixture } from './fixture.ts';

describe('MBPP problem files', () => {
  it('reads original (text) and sanitized (prompt) lines; tests are imports plus asserts', async () => {
    const [original, sanitized] = await loadProblems(fixture('mbpp.jsonl'), { format: 'mbpp' });
    expect(original.id).toBe('mbpp/1');
    expect(original.prompt).toBe(
      'Write a function to sum the digits of a non-negative integer.\nYour code should pass these tests:\nassert digit_sum(123) == 6\nassert digit_sum(0) == 0',
    );
    expect(original.tests).toBe('assert digit_sum(123) == 6\nassert digit_sum(0) == 0');
    expect(original.verifier).toBeUndefined();
    expect(original.meta.code).toMatch(/^def digit_sum/);
    expect(sanitized.id).toBe('mbpp/2');
    expect(sanitized.tests).toBe('import math\nassert root(49) == 7');
    // The function under test: the one the asserts call (the reference code's, when there is one).
    expect(original.entryPoint).toBe('digit_sum');
    expect(sanitized.entryPoint).toBe('root');
  });
});
