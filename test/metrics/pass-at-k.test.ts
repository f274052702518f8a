import { describe, expect, it } from 'vitest';
import { passAtCurveKs, passAtK } from '../../src/metrics/pass-at-k.ts';

/** Binomial coefficient in exact integers, for the textbook form 1 - C(n-c, k) / C(n, k). */
function choose(n: number, k: number): bigint {
  if (k < 0 || k > n) return 0n;
  let result = 1n;
  for (let i = 1; i <= k; i++) result = (result * BigInt(n - k + i)) / BigInt(i);
  return result;
}

function passAtKByCounting(n: number, c: number, k: number): number {
  return 1 - Number((choose(n - c, k) * 1_000_000_000_000n) / choose(n, k)) / 1e12;
}

describe('passAtK', () => {
  it('matches hand-computed values', () => {
    // 1 - C(7,5)/C(10,5) = 1 - 21/252 = 11/12
    expect(passAtK(10, 3, 5)).toBeCloseTo(11 / 12, 12);
    // 1 - C(5,2)/C(10,2) = 1 - 10/45
    expect(passAtK(10, 5, 2)).toBeCloseTo(35 / 45, 12);
    expect(passAtK(10, 1, 1)).toBeCloseTo(0.1, 12);
    expect(passAtK(8, 8, 4)).toBe(1);
    expect(passAtK(8, 0, 4)).toBe(0);
  });

  it('is pass@1 = c/n for k = 1', () => {
    for (let c = 0; c <= 16; c++) expect(passAtK(16, c, 1)).toBeCloseTo(c / 16, 12);
  });

  it('agrees with the counting form over a grid', () => {
    for (const n of [1, 2, 5, 10, 20, 50]) {
      for (let c = 0; c <= n; c++) {
        for (const k of [1, 2, 3, 5, 10, 20].filter((k) => k <= n)) {
          expect(passAtK(n, c, k)).toBeCloseTo(passAtKByCounting(n, c, k), 9);
        }
      }
    }
  });

  it('is 1 when fewer than k samples are wrong', () => {
    expect(passAtK(4, 2, 3)).toBe(1);
    expect(passAtK(10, 8, 3)).toBe(1);
  });

  it('clamps k above n to n', () => {
    expect(passAtK(3, 1, 10)).toBe(passAtK(3, 1, 3));
    expect(passAtK(3, 0, 10)).toBe(0);
  });

  it('is 0 with no samples', () => {
    expect(passAtK(0, 0, 5)).toBe(0);
  });

  it('rejects impossible counts', () => {
    expect(() => passAtK(3, 4, 1)).toThrow(RangeError);
    expect(() => passAtK(3, 1, 0)).toThrow(RangeError);
    expect(() => passAtK(3.5, 1, 1)).toThrow(RangeError);
  });
});

describe('passAtCurveKs', () => {
  it('takes every power of two up to the sample count, and the count itself', () => {
    expect(passAtCurveKs(1)).toEqual([1]);
    expect(passAtCurveKs(3)).toEqual([1, 2, 3]);
    expect(passAtCurveKs(8)).toEqual([1, 2, 4, 8]);
    expect(passAtCurveKs(10)).toEqual([1, 2, 4, 8, 10]);
    expect(passAtCurveKs(16)).toEqual([1, 2, 4, 8, 16]);
    expect(() => passAtCurveKs(0)).toThrow(RangeError);
  });
});
