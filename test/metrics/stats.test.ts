import { describe, expect, it } from 'vitest';
import { bootstrapMeanInterval, clusteredWilsonInterval, twoSidedZ, wilsonInterval } from '../../src/metrics/intervals.ts';
import { mcnemarExactP, permutationTestP, signTestP } from '../../src/metrics/paired-tests.ts';

describe('interval statistics', () => {
  it('finds z for a two-sided confidence level', () => {
    expect(twoSidedZ(0.95)).toBeCloseTo(1.95996, 4);
    expect(twoSidedZ(0.9)).toBeCloseTo(1.64485, 4);
  });

  it('gives textbook Wilson intervals', () => {
    // 0/10 and 5/10 at 95%, computed from the Wilson formula by hand.
    const none = wilsonInterval(0, 10, 0.95);
    expect(none.low).toBeCloseTo(0, 12);
    expect(none.high).toBeCloseTo(0.27753, 4);
    const half = wilsonInterval(5, 10, 0.95);
    expect(half.low).toBeCloseTo(0.23659, 4);
    expect(half.high).toBeCloseTo(0.76341, 4);
  });

  it('widens Wilson by the spread between problems', () => {
    // Rates 0, ½, 1, ½ from 4 samples each: mean ½, variance 1/8, so n_eff = (¼ · 4) / (1/8) = 8
    // of the 16 samples; Wilson at 4 of 8 by hand: 0.5 ∓ 0.28479.
    const spread = clusteredWilsonInterval([0, 0.5, 1, 0.5], 16, 0.95);
    expect(spread.low).toBeCloseTo(0.21522, 4);
    expect(spread.high).toBeCloseTo(0.78478, 4);
    // One sample per problem: exactly the plain Wilson interval.
    expect(clusteredWilsonInterval([1, 1, 0, 0, 0, 0, 0, 0, 0, 0], 10, 0.95)).toEqual(wilsonInterval(2, 10, 0.95));
    // Every problem at ½ has no spread between problems: as certain as 16 independent samples.
    expect(clusteredWilsonInterval([0.5, 0.5, 0.5, 0.5], 16, 0.95)).toEqual(wilsonInterval(8, 16, 0.95));
    // Nothing solved in 10 problems × 8 samples: no spread to measure, so 10 trials, not 80.
    expect(clusteredWilsonInterval(Array(10).fill(0), 80, 0.95).high).toBeCloseTo(0.27753, 4);
    expect(clusteredWilsonInterval([], 0, 0.95)).toEqual({ low: 0, high: 1 });
  });

  it("computes McNemar's exact test on the discordant problems", () => {
    // 5 gained, 0 lost: 2 · (½)^5.
    expect(mcnemarExactP(5, 0)).toBeCloseTo(2 / 32, 12);
    // 1 gained, 4 lost: 2 · (C(5,0) + C(5,1)) / 2^5 = 12/32.
    expect(mcnemarExactP(1, 4)).toBeCloseTo(12 / 32, 12);
    // 10 gained, 2 lost: 2 · (1 + 12 + 66) / 4096.
    expect(mcnemarExactP(10, 2)).toBeCloseTo(158 / 4096, 12);
    expect(mcnemarExactP(2, 2)).toBe(1);
    expect(mcnemarExactP(0, 0)).toBe(1);
  });

  it('computes the exact sign test', () => {
    expect(signTestP(0, 5)).toBeCloseTo(2 / 32, 12);
    expect(signTestP(9, 1)).toBeCloseTo((2 * 11) / 1024, 12);
    expect(signTestP(5, 5)).toBe(1);
    expect(signTestP(0, 0)).toBe(1);
    expect(signTestP(600, 400)).toBeGreaterThan(0);
    expect(signTestP(600, 400)).toBeLessThan(1e-9);
  });

  it('bootstraps reproducibly from a seed', () => {
    // Varied values, so intervals from two seeds differ (0/1 values would land on the same grid).
    const values = Array.from({ length: 50 }, (_, i) => ((i * 7) % 13) / 13);
    const average = values.reduce((a, b) => a + b, 0) / values.length;
    const options = { resamples: 2000, seed: 7, confidence: 0.95 };
    const first = bootstrapMeanInterval(values, options);
    expect(bootstrapMeanInterval(values, options)).toEqual(first);
    expect(bootstrapMeanInterval(values, { ...options, seed: 8 })).not.toEqual(first);
    expect(first.low).toBeLessThan(average);
    expect(first.high).toBeGreaterThan(average);
    expect(bootstrapMeanInterval([0.25, 0.25, 0.25], options)).toEqual({ low: 0.25, high: 0.25 });
  });

  it('enumerates sign flips exactly for few problems', () => {
    const options = { resamples: 1000, seed: 0 };
    // Four equal gains (zeros ignored): only the all-plus and all-minus flips are as extreme.
    expect(permutationTestP([0.25, 0.25, 0.25, 0.25, 0, 0], options)).toBe(2 / 16);
    expect(permutationTestP([1, -1], options)).toBe(1);
    expect(permutationTestP([0, 0], options)).toBe(1);
    // 1, 2, 3: flips with |sum| >= 6 are +++ and ---.
    expect(permutationTestP([1, 2, 3], options)).toBe(2 / 8);
  });

  it('samples sign flips for many problems, never returning 0', () => {
    const gains = Array.from({ length: 40 }, () => 0.5);
    const p = permutationTestP(gains, { resamples: 999, seed: 3 });
    expect(p).toBe(1 / 1000);
    const mixed = Array.from({ length: 40 }, (_, i) => (i % 2 ? 0.5 : -0.5));
    expect(permutationTestP(mixed, { resamples: 999, seed: 3 })).toBeGreaterThan(0.5);
  });
});
