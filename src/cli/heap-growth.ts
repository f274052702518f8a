import { setFlagsFromString } from 'node:v8';

/** The old generation may grow to twice what survived the last full collection (V8's own default goes up to four times). */
export const HEAP_GROWING_PERCENT = 100;

/**
 * The V8 flag the CLI sets for itself, or undefined where the user chose a growth factor on the
 * node command line (`node --heap-growing-percent=300 $(which starloop) run`; Node refuses the flag
 * in NODE_OPTIONS). V8 takes `-` and `_` alike in flag names.
 *
 * Why: a round's samples and verdicts are garbage within a few milliseconds, and collecting them is
 * cheap, so V8 lets the old generation grow to about four times its live size before a full
 * collection. At 1,000,000 samples that is a ~290 MB peak RSS for ~45 MB live; at twice the live
 * size it is ~200 MB, for no CPU time we could measure (`npm run bench:sampling`).
 */
export function heapGrowthFlag(execArgv: readonly string[]): string | undefined {
  if (execArgv.some((arg) => /^--heap[-_]growing[-_]percent\b/.test(arg))) return undefined;
  return `--heap-growing-percent=${HEAP_GROWING_PERCENT}`;
}

/** Applies heapGrowthFlag to this process. V8 reads this flag at every full collection, so it takes effect from the next one. */
export function limitHeapGrowth(): void {
  const flag = heapGrowthFlag(process.execArgv);
  if (flag) setFlagsFromString(flag);
}
