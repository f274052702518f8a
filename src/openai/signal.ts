/** Per parent signal, its children still open, and the one abort listener that serves them all. */
const families = new WeakMap<AbortSignal, { children: Set<AbortController>; onAbort: () => void }>();

/** A request's own signal: aborted with its parent, or alone by `abort` (a time limit). */
export interface ChildSignal {
  signal: AbortSignal;
  abort(): void;
  dispose(): void;
}

/**
 * A signal that follows `parent` until disposed. The openai client adds an abort listener to the
 * signal of every request and never removes it, so a long-lived signal (a whole run's) would
 * collect one per request; each request gets its own short-lived signal instead. A parent carries a
 * single listener while it has open children, however many: a listener per child made each add
 * walk every listener already there (an EventTarget refuses duplicates), O(n) per request. The
 * listener goes with the last child, so nothing is left on a caller's signal.
 */
export function childSignal(parent: AbortSignal | undefined): ChildSignal {
  const controller = new AbortController();
  const abort = () => controller.abort();
  if (!parent) return { signal: controller.signal, abort, dispose: () => undefined };
  if (parent.aborted) {
    controller.abort(parent.reason);
    return { signal: controller.signal, abort, dispose: () => undefined };
  }
  let family = families.get(parent);
  if (!family) {
    const children = new Set<AbortController>();
    const onAbort = () => {
      families.delete(parent);
      for (const child of children) child.abort(parent.reason);
      children.clear();
    };
    family = { children, onAbort };
    families.set(parent, family);
    parent.addEventListener('abort', onAbort, { once: true });
  }
  const { children, onAbort } = family;
  children.add(controller);
  return {
    signal: controller.signal,
    abort,
    dispose: () => {
      if (!children.delete(controller) || children.size > 0) return;
      families.delete(parent);
      parent.removeEventListener('abort', onAbort);
    },
  };
}
