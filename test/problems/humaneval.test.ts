import { describe, expect, it } from 'vitest';
import { readProblemFile } from '../../src/problems/load.ts';
import { fixture } from './fixture.ts';

describe('HumanEval problem files', () => {
  it("maps test, entry point and canonical solution; python-tests is the layout's default verifier", async () => {
    const file = await readProblemFile(fixture('humaneval.jsonl'), { format: 'humaneval' });
    const [first] = file.problems;
    expect(file.defaultVerifier).toBe('python-tests');
    expect(first.id).toBe('Toy/0');
    expect(first.prompt).toMatch(/^def double\(x: int\) -> int:/);
    expect(first.tests).toContain('def check(candidate):');
    expect(first.entryPoint).toBe('double');
    expect(first.verifier).toBeUndefined();
    expect(first.meta.canonicalSolution).toBe('    return 2 * x\n');
  });
});
