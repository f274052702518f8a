import { describe, expect, it } from 'vitest';
import { loadProblems } from '../../src/problems/index.ts';
import { fixture } from './fixture.ts';

describe('limit and split options', () => {
  it('keeps the first N problems and does not read past them', async () => {
    const problems = await loadProblems(fixture('bad-lines.jsonl'), { limit: 1 });
    expect(problems.map((p) => p.id)).toEqual(['ok-1']);
  });

  it('stamps the split only where a line carries none', async () => {
    const problems = await loadProblems(fixture('native.jsonl'), { split: 'train' });
    expect(problems.map((p) => p.split)).toEqual(['train', 'train', 'eval', 'train']);
  });
});
