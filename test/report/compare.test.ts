import { describe, expect, it } from 'vitest';
import { compareRuns, type ComparisonEntry } from '../../src/report/compare.ts';
import { formatComparison } from '../../src/report/compare-format.ts';
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

  it('lists the problems that flipped each way and tests the flips with McNemar', () => {
    // Solved = at least one correct sample. p0: solved → unsolved; p1, p3: unsolved → solved;
    // p2 stays solved (its fraction moves, which the sign test sees but McNemar does not).
    const [pair] = compareRuns([entry('a', [1, 0, 0.5, 0, 0]), entry('b', [0, 0.25, 0.75, 1, 0])]).pairs;
    expect(pair.gained).toEqual(['p1', 'p3']);
    expect(pair.lost).toEqual(['p0']);
    // 2 against 1 discordant: 2 · (C(3,0) + C(3,1)) / 8 = 1.
    expect(pair.mcnemarP).toBe(1);
    expect(pair.improved).toBe(3);
    // Ten problems gained and none lost: 2 · 2^-10.
    const many = compareRuns([entry('a', Array(12).fill(0)), entry('b', [...Array(10).fill(1), 0, 0])]).pairs[0];
    expect(many.mcnemarP).toBeCloseTo(2 / 1024, 12);
    expect(many.gained).toHaveLength(10);
  });

  it('gives the same interval as the round summary: Wilson at the effective number of draws', () => {
    // Four problems × 4 samples at 0, ½, 1, ½: 8 effective trials (see test/metrics/stats.test.ts).
    const [summary] = compareRuns([{ ...entry('a', [0, 0.5, 1, 0.5]), draws: 16 }]).entries;
    expect(summary.method).toBe('clustered-wilson');
    expect(summary.low).toBeCloseTo(0.21522, 4);
    expect(summary.high).toBeCloseTo(0.78478, 4);
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

  it('pairs problems by their own ids, even ids an object already has', () => {
    const result = compareRuns([{ label: 'a', problems: { constructor: 1, x: 0 } }, { label: 'b', problems: { x: 1 } }]);
    expect(result.pairs[0]).toMatchObject({ sharedProblems: 1, meanDifference: 1, gained: ['x'] });
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
    // improved 20, worsened 0, same 80, sign p, permutation p, gained 20, lost 0, McNemar p.
    expect(pairLine).toMatch(/\+20\.0 pp\s+\[\+\d+\.\d pp, \+\d+\.\d pp\]\s+20\s+0\s+80\s+<0\.001\s+<0\.001\s+20\s+0\s+<0\.001\s+real gain$/);
    expect(text).toContain('10000 bootstrap resamples, seed 0');
    expect(text).toContain("solved = at least one correct sample; McNemar's exact test is on these flips.");
    expect(text).toMatch(/^round 1 vs round 0: 20 newly solved: p30, p31, .*, p49$/m);
    expect(text).toContain('round 1 vs round 0: 0 no longer solved');
  });

  it('lists every flipped problem in the text when there are few', () => {
    const text = formatComparison(compareRuns([entry('a', [1, 0, 0.5, 0]), entry('b', [0, 0.25, 0.5, 1])]));
    expect(text).toContain('b vs a: 2 newly solved: p1, p3');
    expect(text).toContain('b vs a: 1 no longer solved: p0');
  });

  it('cuts a long list of flips short in the text and says where the rest is', () => {
    const text = formatComparison(compareRuns([entry('a', Array(30).fill(0)), entry('b', Array(30).fill(1))]));
    expect(text).toMatch(/^b vs a: 30 newly solved: p0, p1, .*, p19, … \(10 more; --json lists all\)$/m);
  });

  it('prints the warnings of its entries', () => {
    const text = formatComparison(compareRuns([{ ...entry('a', [1, 0]), warning: '2 eval problems left out' }, entry('b', [1, 1])]));
    expect(text.split('\n').at(-1)).toBe('warning: a: 2 eval problems left out');
  });
});
