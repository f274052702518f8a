import { describe, expect, it } from 'vitest';
import { compareRuns, formatComparison, type ComparisonEntry } from '../../src/report/compare.ts';
import { ReportError } from '../../src/report/report-error.ts';
import { seededRandom } from '../../src/util/seeded-random.ts';

const entry = (label: string, values: number[]): ComparisonEntry => ({
  label,
  problems: Object.fromEntries(values.map((v, i) => [`p${i}`, v])),
});

describe('compareRuns', () => {
  it('calls a known gain real', () => {
    // 200 problems: 80 solved before; after, 30 more solved and 5 lost → +12.5 points.
    const before = Array.from({ length: 200 }, (_, i) => (i < 80 ? 1 : 0));
    const after = before.map((v, i) => (i >= 80 && i < 110 ? 1 : i < 5 ? 0 : v));
    const result = compareRuns([entry('round 0', before), entry('round 1', after)]);
    const [pair] = result.pairs;
    expect(pair).toMatchObject({ baseline: 'round 0', candidate: 'round 1', sharedProblems: 200, improved: 30, worsened: 5, unchanged: 165, verdict: 'gain' });
    expect(pair.meanDifference).toBeCloseTo(0.125, 12);
    expect(pair.low).toBeGreaterThan(0);
    expect(pair.signTestP).toBeLessThan(0.001);
    expect(result.entries.map((e) => e.method)).toEqual(['wilson', 'wilson']);
  });

  it('does not call identical runs different', () => {
    const same = Array.from({ length: 40 }, (_, i) => (i % 4) / 4);
    const [pair] = compareRuns([entry('a', same), entry('b', same)]).pairs;
    expect(pair).toMatchObject({ meanDifference: 0, low: 0, high: 0, improved: 0, worsened: 0, signTestP: 1, permutationP: 1, verdict: 'noise' });
  });

  it('calls a small difference on few problems noise', () => {
    const before = Array.from({ length: 50 }, (_, i) => (i < 20 ? 1 : 0));
    const after = before.map((v, i) => (i === 20 || i === 21 ? 1 : i === 0 ? 0 : v));
    const [pair] = compareRuns([entry('a', before), entry('b', after)]).pairs;
    expect(pair.verdict).toBe('noise');
    expect(pair.low).toBeLessThan(0);
  });

  it('flags about 5% of no-difference comparisons and most real +15 point gains', () => {
    // Per-problem solve chances; both sides draw 4 samples from the same chance (null) or the
    // candidate's chance is raised by 0.15 (gain). Seeded, so this is deterministic.
    const random = seededRandom(11);
    const draw = (chance: number) => Array.from({ length: 4 }, () => (random() < chance ? 1 : 0)).reduce((a: number, b) => a + b, 0) / 4;
    let falseAlarms = 0;
    let detected = 0;
    const trials = 200;
    for (let t = 0; t < trials; t++) {
      const chances = Array.from({ length: 80 }, () => random());
      const base = entry('base', chances.map(draw));
      const same = entry('same', chances.map(draw));
      const better = entry('better', chances.map((c) => draw(Math.min(1, c + 0.15))));
      const options = { resamples: 1000, seed: t };
      if (compareRuns([base, same], options).pairs[0].verdict !== 'noise') falseAlarms++;
      if (compareRuns([base, better], options).pairs[0].verdict === 'gain') detected++;
    }
    expect(falseAlarms / trials).toBeLessThan(0.1);
    expect(detected / trials).toBeGreaterThan(0.8);
  });

  it('does not trust a bootstrap on a handful of problems', () => {
    // Four of six problems gain a quarter: the bootstrap interval excludes 0, but with four
    // non-zero differences no test can reach 5% (the exact permutation p is 2/16).
    const [pair] = compareRuns([entry('a', [0, 0, 0, 0, 1, 0.5]), entry('b', [0.25, 0.25, 0.25, 0.25, 1, 0.5])]).pairs;
    expect(pair.low).toBeGreaterThan(0);
    expect(pair.permutationP).toBe(0.125);
    expect(pair.verdict).toBe('noise');
  });

  it('compares with the previous entry when asked', () => {
    const result = compareRuns([entry('r0', [0, 0]), entry('r1', [1, 0]), entry('r2', [1, 1])], { baseline: 'previous' });
    expect(result.pairs.map((p) => [p.baseline, p.candidate, p.meanDifference])).toEqual([
      ['r0', 'r1', 0.5],
      ['r1', 'r2', 0.5],
    ]);
  });

  it('pairs only the problems both entries have', () => {
    const [pair] = compareRuns([
      { label: 'a', problems: { x: 0, y: 1 } },
      { label: 'b', problems: { y: 1, z: 1 } },
    ]).pairs;
    expect(pair.sharedProblems).toBe(1);
    expect(pair.meanDifference).toBe(0);
  });

  it('rejects entries it cannot compare', () => {
    expect(() => compareRuns([])).toThrow(ReportError);
    expect(() => compareRuns([entry('a', [1]), entry('a', [0])])).toThrow(/both labelled "a"/);
    expect(() => compareRuns([{ label: 'a', problems: { x: 1 } }, { label: 'b', problems: { y: 1 } }])).toThrow(/share no eval problems/);
    expect(() => compareRuns([{ label: 'a', problems: { x: 1.5 } }])).toThrow(/entries\.0\.problems\.x/);
  });
});

describe('formatComparison', () => {
  it('prints intervals, counts and the verdict', () => {
    const before = Array.from({ length: 100 }, (_, i) => (i < 30 ? 1 : 0));
    const after = before.map((v, i) => (i >= 30 && i < 50 ? 1 : v));
    const text = formatComparison(compareRuns([entry('round 0', before), entry('round 1', after)]));
    const lines = text.split('\n');
    expect(lines[0].split(/\s{2,}/)).toEqual(['entry', 'problems', 'eval pass@1', '95% CI', 'interval']);
    expect(lines[2]).toMatch(/^round 0\s+100\s+30\.0%\s+\[\d+\.\d%, \d+\.\d%\]\s+wilson$/);
    const pairLine = lines.find((line) => line.startsWith('round 1  round 0'));
    expect(pairLine).toMatch(/\+20\.0 pp\s+\[\+\d+\.\d pp, \+\d+\.\d pp\]\s+20\s+0\s+80\s+<0\.001\s+<0\.001\s+real gain$/);
    expect(text).toContain('10000 bootstrap resamples, seed 0');
  });
});
