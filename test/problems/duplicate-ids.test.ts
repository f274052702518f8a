import { describe, expect, it } from 'vitest';
import { loadProblems } from '../../src/problems/index.ts';
import { fixture } from './fixture.ts';

describe('duplicate problem ids', () => {
  it('are an error naming both lines', async () => {
    const path = fixture('duplicate-ids.jsonl');
    await expect(loadProblems(path)).rejects.toThrow(`${path}:3: duplicate id "p1" (first used on line 1)`);
  });
});
