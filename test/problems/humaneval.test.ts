import { describe, expect, it } from 'vitest';
import { loadProblems } from '../../src/problems/index.ts';
import { fixture } from './fixture.ts';

describe('HumanEval problem files', () => {
  it('maps test, entry point and canonical solution, judged by python-tests', async () => {
    const [first] = await loadProblems(fixture('humaneval.jsonl'), { format: 'humaneval' });
    expect(first.id).toBe('Toy/0');
    expect(first.prompt).toMatch(/^def double\(x: int\) -> int:/);
    expect(first.tests).toContain('def check(candidate):');
    expect(first.entryPoint).toBe('double');
    expect(first.verifier).toBe('python-tests');
    expect(first.meta.canonicalSolution).toBe('    return 2 * x\n');
  });
});
