/** Number formats shared by the pipeline progress lines, the terminal table, the comparison and the HTML report. */

export const MISSING = '-';

export function percent(value: number | undefined | null, digits = 1): string {
  return value === undefined || value === null || Number.isNaN(value) ? MISSING : `${(value * 100).toFixed(digits)}%`;
}

/** Signed percentage points, for differences between two rates. */
export function points(value: number, digits = 1): string {
  const text = (value * 100).toFixed(digits);
  // A difference that rounds to zero is shown unsigned, never as "-0.0".
  if (Number(text) === 0) return `${(0).toFixed(digits)} pp`;
  return `${value > 0 ? '+' : ''}${text} pp`;
}

export function compactCount(value: number | undefined): string {
  if (value === undefined) return MISSING;
  if (value < 1000) return String(value);
  if (value < 1_000_000) return `${(value / 1000).toFixed(value < 10_000 ? 1 : 0)}k`;
  return `${(value / 1_000_000).toFixed(value < 10_000_000 ? 1 : 0)}M`;
}

export function duration(ms: number | undefined): string {
  if (ms === undefined) return MISSING;
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 59_950) return `${(ms / 1000).toFixed(1)}s`;
  const seconds = Math.round(ms / 1000);
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, '0')}s`;
  const hours = Math.floor(minutes / 60);
  return `${hours}h ${String(minutes - hours * 60).padStart(2, '0')}m`;
}

/** A confidence interval of a rate, `[27.1%, 46.6%]`; missing when the summary has none. */
export function percentInterval(interval: { low: number; high: number } | undefined, digits = 1): string {
  return interval ? `[${percent(interval.low, digits)}, ${percent(interval.high, digits)}]` : MISSING;
}
