/**
 * A signal that follows `parent` until disposed. The openai client adds an abort listener to the
 * signal of every request and never removes it, so a long-lived signal (a whole run's) would
 * collect one per request; each request gets its own short-lived signal instead.
 */
export function childSignal(parent: AbortSignal | undefined): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  if (!parent) return { signal: controller.signal, dispose: () => undefined };
  const forward = () => controller.abort(parent.reason);
  if (parent.aborted) forward();
  else parent.addEventListener('abort', forward, { once: true });
  return { signal: controller.signal, dispose: () => parent.removeEventListener('abort', forward) };
}
