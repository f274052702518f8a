import { describe, expect, it } from 'vitest';
import { loadProblems } from '../../src/problems/index.ts';
import { fixture } from './fixture.ts';

describe('MATH problem files', () => {
  it('uses the answer field, else the last \\boxed{} of the solution, and groups by level', async () => {
    const problems = await loadProblems(fixture('math.jsonl'), { format: 'math' });
    expect(problems.map((p) => [p.id, p.answer])).toEqual([
      ['math-1', '\\frac{1}{2}'],
      ['test/algebra/1.json', '3'],
      ['math-3', '\\{1, 2\\}'],
    ]);
    expect(problems[0].meta).toMatchObject({ group: 'Level 1', level: 'Level 1', subject: 'Prealgebra' });
    expect(problems[2].meta.group).toBe('Level 3');
    expect(problems[1].meta.solution).toContain('\\boxed{3}');
  });
});
