import { describe, expect, it } from 'vitest';
import { passAtK } from '../../src/metrics/pass-at-k.ts';
import { computeGroupMetrics, computeSplitMetrics, UNGROUPED } from '../../src/metrics/split.ts';
import type { Problem } from '../../src/schema/problem.ts';
import type { VerdictRecord } from '../../src/schema/verdict.ts';

const problem = (id: string, group?: string): Problem => ({ id, prompt: `q ${id}`, answer: '1', meta: group ? { group } : {} });

let sampleCounter = 0;
function verdict(problemId: string, index: number, correct: boolean, extracted?: string, hinted = false): VerdictRecord {
  return {
    status: correct ? 'correct' : extracted === undefined ? 'unparseable' : 'incorrect',
    score: correct ? 1 : 0,
    reason: '',
    durationMs: 1,
    sampleId: `s${sampleCounter++}`,
    problemId,
    round: 0,
    index,
    hinted,
    verifier: 'numeric',
    ...(extracted === undefined ? {} : { extracted }),
  };
}

describe('computeSplitMetrics', () => {
  // a: 2 of 4 correct, majority "7" (correct); b: 0 of 4, majority "3" wrong; c: no samples at all.
  const problems = [problem('a'), problem('b'), problem('c')];
  const verdicts = [
    verdict('a', 0, true, '7'),
    verdict('a', 1, false, '5'),
    verdict('a', 2, true, '7'),
    verdict('a', 3, false),
    verdict('b', 0, false, '3'),
    verdict('b', 1, false, '3'),
    verdict('b', 2, false, '4'),
    verdict('b', 3, false),
    // Hinted verdicts say nothing about the policy on its own and must not count.
    verdict('b', 4, true, '2', true),
    verdict('c', 0, true, '1', true),
    verdict('not-in-set', 0, true, '1'),
  ];

  it('computes every rate by hand', () => {
    const metrics = computeSplitMetrics(problems, verdicts, 4);
    expect(metrics.problems).toBe(3);
    expect(metrics.samples).toBe(8);
    expect(metrics.correct).toBe(2);
    expect(metrics.k).toBe(4);
    // (2/4 + 0 + 0) / 3: the sample-less problem stays in the denominator.
    expect(metrics.passAt1).toBeCloseTo(0.5 / 3, 12);
    // a: n=4 c=2 k=4 → 1; b and c → 0.
    expect(metrics.passAtK).toBeCloseTo(1 / 3, 12);
    expect(metrics.majAtK).toBeCloseTo(1 / 3, 12);
    expect(metrics.coverage).toBeCloseTo(1 / 3, 12);
  });

  it('averages pass@k per problem with the unbiased estimator', () => {
    const metrics = computeSplitMetrics(problems, verdicts, 2);
    expect(metrics.passAtK).toBeCloseTo(passAtK(4, 2, 2) / 3, 12);
  });

  it('breaks majority ties by the lowest sample index', () => {
    // Written out of order: index 0 says "9" (wrong), index 1 says "8" (right); one vote each.
    const tie = [verdict('a', 1, true, '8'), verdict('a', 0, false, '9')];
    expect(computeSplitMetrics([problem('a')], tie, 2).majAtK).toBe(0);
    const tieOtherWay = [verdict('a', 1, false, '9'), verdict('a', 0, true, '8')];
    expect(computeSplitMetrics([problem('a')], tieOtherWay, 2).majAtK).toBe(1);
  });

  it('gives zeros, not NaN, for an empty set', () => {
    expect(computeSplitMetrics([], [], 4)).toEqual({ problems: 0, samples: 0, correct: 0, k: 4, passAt1: 0, passAtK: 0, majAtK: 0, coverage: 0 });
  });
});

describe('computeGroupMetrics', () => {
  it('splits by meta.group and keeps ungrouped problems visible', () => {
    const problems = [problem('a', 'easy'), problem('b', 'hard'), problem('c', 'easy'), problem('d')];
    const verdicts = [verdict('a', 0, true, '1'), verdict('b', 0, false, '2'), verdict('c', 0, false, '2'), verdict('d', 0, true, '1')];
    const byGroup = computeGroupMetrics(problems, verdicts, 1);
    expect(Object.keys(byGroup ?? {})).toEqual([UNGROUPED, 'easy', 'hard']);
    expect(byGroup?.easy.passAt1).toBe(0.5);
    expect(byGroup?.hard.passAt1).toBe(0);
    expect(byGroup?.[UNGROUPED].passAt1).toBe(1);
  });

  it('is undefined when no problem has a group', () => {
    expect(computeGroupMetrics([problem('a')], [], 1)).toBeUndefined();
  });
});
