/** Per parent signal, its children still open: the parent carries one abort listener for all of them. */
const openChildren = new WeakMap<AbortSignal, Set<AbortController>>();

/**
 * A signal that follows `parent` until disposed. The openai client adds an abort listener to the
 * signal of every request and never removes it, so a long-lived signal (a whole run's) would
 * collect one per request; each request gets its own short-lived signal instead. A parent gets a
 * single listener however many children it has: adding a listener per child made each add walk
 * every listener already there (an EventTarget refuses duplicates), O(n) per request.
 */
export function childSignal(parent: AbortSignal | undefined): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  if (!parent) return { signal: controller.signal, dispose: () => undefined };
  if (parent.aborted) {
    controller.abort(parent.reason);
    return { signal: controller.signal, dispose: () => undefined };
  }
  let children = openChildren.get(parent);
  if (!children) {
    const set = new Set<AbortController>();
    children = set;
    openChildren.set(parent, set);
    parent.addEventListener(
      'abort',
      () => {
        openChildren.delete(parent);
        for (const child of set) child.abort(parent.reason);
        set.clear();
      },
      { once: true },
    );
  }
  const family = children;
  family.add(controller);
  return { signal: controller.signal, dispose: () => family.delete(controller) };
}
