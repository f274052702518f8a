/** Confidence intervals for pass rates: Wilson, and a seeded percentile bootstrap. */
import { seededRandom } from '../util/seeded-random.ts';

export interface Interval {
  low: number;
  high: number;
}

export const mean = (values: readonly number[]) => (values.length === 0 ? 0 : values.reduce((sum, v) => sum + v, 0) / values.length);

/** Linear interpolation between order statistics of sorted values (the "type 7" quantile). */
function quantile(sorted: Float64Array, q: number): number {
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}

/**
 * Percentile bootstrap interval of the mean: resample the values with replacement `resamples`
 * times. On per-problem differences this is the paired bootstrap, since each problem's pair of
 * scores is drawn together.
 */
export function bootstrapMeanInterval(values: readonly number[], options: { resamples: number; seed: number; confidence: number }): Interval {
  const n = values.length;
  if (n === 0) return { low: 0, high: 0 };
  const random = seededRandom(options.seed);
  const means = new Float64Array(options.resamples);
  for (let b = 0; b < options.resamples; b++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += values[Math.floor(random() * n)];
    means[b] = sum / n;
  }
  means.sort();
  const tail = (1 - options.confidence) / 2;
  return { low: quantile(means, tail), high: quantile(means, 1 - tail) };
}

/** erf by Abramowitz & Stegun 7.1.26 (absolute error below 1.5e-7), enough for interval bounds. */
function erf(x: number): number {
  const sign = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return sign * (1 - poly * Math.exp(-a * a));
}

/** The z with P(-z < Z < z) = confidence for a standard normal Z (1.96 for 0.95), by bisection. */
export function twoSidedZ(confidence: number): number {
  let low = 0;
  let high = 10;
  for (let i = 0; i < 100; i++) {
    const mid = (low + high) / 2;
    if (erf(mid / Math.SQRT2) < confidence) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}

/** Wilson score interval for a binomial proportion: sensible at 0 and n, unlike the normal one. */
export function wilsonInterval(successes: number, n: number, confidence: number): Interval {
  if (n === 0) return { low: 0, high: 1 };
  const z = twoSidedZ(confidence);
  const p = successes / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/**
 * Interval for a mean of per-problem rates (pass@1 with several samples per problem, pass@k, maj@k):
 * the Wilson score interval at the effective sample size of the clustered design (Kish's design
 * effect; the effective-sample-size approach of Korn & Graubard 1998 for survey proportions).
 *
 * Samples of one problem are not independent trials — a problem is easy or hard for all of them —
 * so the spread that matters is between problems. With p the mean rate over N problems and v the
 * variance of the per-problem rates, the mean has variance v / N, and a binomial proportion with
 * that variance has n_eff = p(1 - p) / (v / N) trials. Because every rate lies in [0, 1],
 * v ≤ p(1 - p), so n_eff ≥ N: never less certain than one trial per problem, which is the plain
 * Wilson interval when each problem was sampled once. n_eff is capped at `maxTrials` (as if every
 * draw were independent). When p is 0 or 1 the rates carry no spread to measure, and n_eff = N.
 *
 * Chosen over a problem-level bootstrap because the percentile bootstrap collapses to [0, 0] when
 * nothing is solved and is too narrow on the few dozen problems an eval split often has; Wilson
 * stays inside [0, 1] and keeps sensible width at the boundaries. Deterministic (no seed).
 */
export function clusteredWilsonInterval(rates: readonly number[], maxTrials: number, confidence: number): Interval {
  const problems = rates.length;
  if (problems === 0) return { low: 0, high: 1 };
  const p = mean(rates);
  const variance = rates.reduce((sum, r) => sum + (r - p) ** 2, 0) / problems;
  const bernoulli = p * (1 - p);
  const effective = bernoulli === 0 ? problems : variance === 0 ? maxTrials : Math.min(maxTrials, Math.max(problems, (bernoulli * problems) / variance));
  return wilsonInterval(p * effective, Math.max(problems, effective), confidence);
}
