import type { SplitMetrics } from '../schema/summary.ts';

/**
 * A split's pass@k curve as [k, rate] pairs, ascending in k. Summaries written before the curve
 * was recorded still know two of its points: pass@1 and pass@k.
 */
export function passAtCurve(stats: SplitMetrics): [number, number][] {
  const points = stats.passAt ?? { 1: stats.passAt1, [stats.k]: stats.passAtK };
  return Object.entries(points)
    .map(([k, rate]): [number, number] => [Number(k), rate])
    .sort(([a], [b]) => a - b);
}

/** Every k that some split's curve has, ascending: the columns of a curve table. */
export function curveKs(stats: readonly (SplitMetrics | undefined)[]): number[] {
  const ks = new Set<number>();
  for (const s of stats) if (s) for (const [k] of passAtCurve(s)) ks.add(k);
  return [...ks].sort((a, b) => a - b);
}
