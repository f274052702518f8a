export type TimeLimited<T> = { timedOut: true } | { timedOut: false; value: T };

/**
 * Runs `work` against a deadline. When the deadline passes first, the signal given to `work` is
 * aborted and the caller gets `timedOut` at once, whether or not `work` ever settles. A throw
 * from `work` propagates.
 */
export async function withTimeLimit<T>(timeoutMs: number, work: (signal: AbortSignal) => T | Promise<T>): Promise<TimeLimited<T>> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<TimeLimited<T>>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve({ timedOut: true });
    }, timeoutMs);
  });
  try {
    return await Promise.race([Promise.resolve().then(async () => ({ timedOut: false as const, value: await work(controller.signal) })), deadline]);
  } finally {
    clearTimeout(timer);
  }
}
