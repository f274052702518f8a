/**
 * Unbiased pass@k estimator (Chen et al. 2021, "Evaluating Large Language Models Trained on Code",
 * eq. 1, in its numerically stable product form): the chance that at least one of k samples drawn
 * without replacement from n, of which c are correct, is correct:
 *   1 - prod_{i=n-c+1}^{n} (1 - k/i)
 * k larger than n is clamped to n (with n samples one cannot estimate beyond n). n = 0 gives 0.
 */
export function passAtK(n: number, c: number, k: number): number {
  if (!Number.isInteger(n) || !Number.isInteger(c) || !Number.isInteger(k)) throw new RangeError(`passAtK needs integers, got n=${n} c=${c} k=${k}`);
  if (n < 0 || c < 0 || c > n || k < 1) throw new RangeError(`passAtK needs 0 <= c <= n and k >= 1, got n=${n} c=${c} k=${k}`);
  if (n === 0) return 0;
  const draws = Math.min(k, n);
  if (n - c < draws) return 1;
  let allWrong = 1;
  for (let i = n - c + 1; i <= n; i++) allWrong *= 1 - draws / i;
  return 1 - allWrong;
}

/**
 * The k of a pass@k curve over `samples` draws per problem: every power of two up to it, and
 * `samples` itself (8 → 1, 2, 4, 8; 10 → 1, 2, 4, 8, 10), ascending.
 */
export function passAtCurveKs(samples: number): number[] {
  if (!Number.isInteger(samples) || samples < 1) throw new RangeError(`a pass@k curve needs a whole number of samples >= 1, got ${samples}`);
  const ks: number[] = [];
  for (let k = 1; k < samples; k *= 2) ks.push(k);
  ks.push(samples);
  return ks;
}
