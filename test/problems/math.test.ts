import { describe, expect, it } from 'vitest';
import { loadProblems } from '../../src/problems/index.ts';
import { fixture } from './fixture.ts';

describe('MATH problem files', () => {
  it('uses the answer field, else the last \\boxed{} of the solution, and groups by level', async () => {
    const problems = await loadProblems(fixture('math.jsonl'), { format: 'math' });
    expect(problems.map((p) => p.answer)).toEqual(['\\frac{1}{2}', '3', '\\{1, 2\\}']);
    // unique_id when the line has one, else an id from the problem text.
    expect(problems.map((p) => p.id)).toEqual([expect.stringMatching(/^math-[0-9a-f]{12}$/), 'test/algebra/1.json', expect.stringMatching(/^math-[0-9a-f]{12}$/)]);
    expect(problems[0].meta).toMatchObject({ group: 'Level 1', level: 'Level 1', subject: 'Prealgebra' });
    expect(problems[2].meta.group).toBe('Level 3');
    expect(problems[1].meta.solution).toContain('\\boxed{3}');
  });
});
