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

  it('counts a tie between a right and a wrong answer as a coin flip, whatever the sample order', () => {
    const tie = [verdict('a', 1, true, '8'), verdict('a', 0, false, '9')];
    expect(computeSplitMetrics([problem('a')], tie, 2).majAtK).toBe(0.5);
    const tieOtherWay = [verdict('a', 1, false, '9'), verdict('a', 0, true, '8')];
    expect(computeSplitMetrics([problem('a')], tieOtherWay, 2).majAtK).toBe(0.5);
  });

  it('votes over k of the n samples, not over all of them', () => {
    // a: "7" right twice, "5" wrong once, one sample with no answer. Of the 6 pairs: {7,7} wins,
    // the two {7,5} tie (½ each), the two {7,-} win, {5,-} loses: 4/6. b and c score 0.
    expect(computeSplitMetrics(problems, verdicts, 2).majAtK).toBeCloseTo(2 / 3 / 3, 12);
  });

  it('gives the pass@k curve at every power of two up to k and at k', () => {
    const metrics = computeSplitMetrics(problems, verdicts, 4);
    // a: n=4 c=2 → pass@1 1/2, pass@2 = 1 - C(2,2)/C(4,2) = 5/6, pass@4 = 1; b, c: 0.
    expect(Object.keys(metrics.passAt ?? {})).toEqual(['1', '2', '4']);
    expect(metrics.passAt?.['1']).toBeCloseTo(1 / 6, 12);
    expect(metrics.passAt?.['2']).toBeCloseTo(5 / 18, 12);
    expect(metrics.passAt?.['4']).toBeCloseTo(1 / 3, 12);
    expect(metrics.passAt?.['1']).toBe(metrics.passAt1);
    expect(metrics.passAt?.['4']).toBe(metrics.passAtK);
    expect(Object.keys(computeSplitMetrics(problems, verdicts, 6).passAt ?? {})).toEqual(['1', '2', '4', '6']);
  });

  it('lists the problems with no sample, which count as 0', () => {
    expect(computeSplitMetrics(problems, verdicts, 4).unsampledProblems).toEqual(['c']);
  });

  it('carries 95% intervals around each rate', () => {
    const { intervals, passAt1, passAtK: passK, majAtK, coverage } = computeSplitMetrics(problems, verdicts, 4);
    expect(intervals).toMatchObject({ confidence: 0.95, method: 'clustered-wilson' });
    for (const [name, value] of [['passAt1', passAt1], ['passAtK', passK], ['majAtK', majAtK], ['coverage', coverage]] as const) {
      expect(intervals?.[name].low).toBeLessThanOrEqual(value);
      expect(intervals?.[name].high).toBeGreaterThanOrEqual(value);
    }
    // Coverage is solved or not per problem (1 of 3): the plain Wilson interval for 1/3.
    expect(intervals?.coverage.low).toBeCloseTo(0.06149, 4);
    expect(intervals?.coverage.high).toBeCloseTo(0.79234, 4);
  });

  it('gives zeros, not NaN, for an empty set', () => {
    const none = { low: 0, high: 1 };
    expect(computeSplitMetrics([], [], 4)).toEqual({
      problems: 0, samples: 0, correct: 0, k: 4, passAt1: 0, passAtK: 0, passAt: { 1: 0, 2: 0, 4: 0 }, majAtK: 0, coverage: 0, errors: 0, unparseable: 0,
      intervals: { confidence: 0.95, method: 'clustered-wilson', passAt1: none, passAtK: none, majAtK: none, coverage: none },
      unsampledProblems: [],
    });
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
