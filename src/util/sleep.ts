import { AbortedError } from '../errors.ts';

/** Waits `ms`; rejects with an AbortedError (saying what was interrupted) as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal, what = 'interrupted'): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(new AbortedError(what));
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AbortedError(what));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Exponential backoff: `baseMs` before the first retry (attempt 0), doubling, never above `maxMs`. */
export function backoffMs(attempt: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt));
}
