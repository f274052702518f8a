/** Paired tests for comparing two rounds or runs on the same problems: sign test, McNemar's exact test, permutation test. */
import { seededRandom } from '../util/seeded-random.ts';

/**
 * Two-sided exact binomial test of "each of the a + b events went either way with chance ½": twice
 * the smaller tail, at most 1.
 */
function exactHalfBinomialP(a: number, b: number): number {
  const n = a + b;
  if (n === 0) return 1;
  const smaller = Math.min(a, b);
  // Sum binomial(n, i) / 2^n for i <= smaller in log space, so large n does not overflow.
  let logChoose = 0;
  let tail = 0;
  for (let i = 0; i <= smaller; i++) {
    if (i > 0) logChoose += Math.log(n - i + 1) - Math.log(i);
    tail += Math.exp(logChoose - n * Math.LN2);
  }
  return Math.min(1, 2 * tail);
}

/**
 * Exact two-sided sign test: the chance of a split at least this lopsided between improved and
 * worsened problems (by their fraction of correct samples) if neither direction were favoured;
 * unchanged problems are dropped.
 */
export function signTestP(improved: number, worsened: number): number {
  return exactHalfBinomialP(improved, worsened);
}

/**
 * McNemar's exact test (the exact conditional form: a binomial test on the discordant pairs) on
 * problems scored solved or unsolved on both sides: `gained` were unsolved in the baseline and
 * solved in the candidate, `lost` the reverse; problems solved or unsolved on both sides carry no
 * information about the difference. With one sample per problem it agrees with the sign test.
 */
export function mcnemarExactP(gained: number, lost: number): number {
  return exactHalfBinomialP(gained, lost);
}

/** Up to this many non-zero differences, the permutation test enumerates every sign pattern. */
const EXACT_PERMUTATION_LIMIT = 16;

/**
 * Paired sign-flip permutation test of "mean difference = 0", two-sided. Under that null each
 * problem's difference is as likely to have either sign, so the observed mean is compared with the
 * means of every sign flip (exact for up to 16 non-zero differences, else `resamples` random flips,
 * seeded). Unlike a bootstrap interval it stays honest on a handful of problems: four problems that
 * all improved give p = 0.125, not a confident gain.
 */
export function permutationTestP(differences: readonly number[], options: { resamples: number; seed: number }): number {
  const nonZero = differences.filter((d) => d !== 0);
  const m = nonZero.length;
  if (m === 0) return 1;
  const observed = Math.abs(nonZero.reduce((sum, d) => sum + d, 0));
  // Sums that tie the observed one up to rounding count as "at least as extreme".
  const threshold = observed - 1e-9 * Math.max(1, observed);
  if (m <= EXACT_PERMUTATION_LIMIT) {
    let extreme = 0;
    const patterns = 2 ** m;
    for (let pattern = 0; pattern < patterns; pattern++) {
      let sum = 0;
      for (let i = 0; i < m; i++) sum += pattern & (1 << i) ? -nonZero[i] : nonZero[i];
      if (Math.abs(sum) >= threshold) extreme++;
    }
    return extreme / patterns;
  }
  const random = seededRandom(options.seed);
  let extreme = 0;
  for (let b = 0; b < options.resamples; b++) {
    let sum = 0;
    for (let i = 0; i < m; i++) sum += random() < 0.5 ? -nonZero[i] : nonZero[i];
    if (Math.abs(sum) >= threshold) extreme++;
  }
  // The observed labelling is one of the possible ones, so it counts once (never p = 0).
  return (extreme + 1) / (options.resamples + 1);
}
