import { describe, expect, it } from 'vitest';
import { checkProblems } from '../../src/problems/index.ts';
import { fixture } from './fixture.ts';

describe('checkProblems', () => {
  it('tallies splits, verifiers, answers, tests and groups', async () => {
    const path = fixture('native.jsonl');
    expect(await checkProblems(path)).toEqual({
      path,
      format: 'native',
      count: 4,
      splits: { train: 1, eval: 1, none: 2 },
      verifiers: { '(config)': 2, 'python-tests': 1, 'exact-match': 1 },
      defaultVerifier: 'numeric',
      notices: [],
      withAnswer: 3,
      withTests: 1,
      groups: { easy: 1 },
    });
  });
});
