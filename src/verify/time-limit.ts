export type TimeLimited<T> = { timedOut: true } | { timedOut: false; value: T };

/**
 * Runs `work` against a deadline. When the deadline passes first, the signal given to `work` is
 * aborted and the caller gets `timedOut` at once, whether or not `work` ever settles. A throw
 * from `work` propagates.
 */
export async function withTimeLimit<T>(timeoutMs: number, work: (signal: AbortSignal) => T | Promise<T>): Promise<TimeLimited<T>> {
  const controller = new AbortController();
  // Synchronous work (the built-in verifiers) has finished when it returns: no timer could have
  // fired meanwhile, so it needs none; only a promise is raced against the deadline.
  const started = work(controller.signal);
  if (!isPromiseLike(started)) return { timedOut: false, value: started };
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<TimeLimited<T>>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve({ timedOut: true });
    }, timeoutMs);
  });
  try {
    return await Promise.race([Promise.resolve(started).then((value) => ({ timedOut: false as const, value })), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

function isPromiseLike<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}
