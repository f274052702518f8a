import { describe, expect, it } from 'vitest';
import { gsm8kGold, loadProblems } from '../../src/problems/index.ts';
import { fixture } from './fixture.ts';

describe('GSM8K problem files', () => {
  it('takes the number after #### as gold and keeps the solution in meta', async () => {
    const problems = await loadProblems(fixture('gsm8k.jsonl'), { format: 'gsm8k' });
    expect(problems.map((p) => p.answer)).toEqual(['80', '15000', '-5']);
    // Ids come from the question text, so the same question has the same id in any file.
    expect(problems.every((p) => /^gsm8k-[0-9a-f]{12}$/.test(p.id))).toBe(true);
    expect(new Set(problems.map((p) => p.id)).size).toBe(3);
    expect(problems[0].prompt).toMatch(/^A baker fills 12 trays/);
    expect(problems[0].meta.solution).toMatch(/#### 80$/);
    expect(problems[0].verifier).toBeUndefined();
  });

  it('finds no gold without a final #### line', () => {
    expect(gsm8kGold('so the answer is 5')).toBeUndefined();
    expect(gsm8kGold('#### 3.5')).toBe('3.5');
  });
});
