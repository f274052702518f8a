import type { Policy } from '../policy/policy.ts';
import type { PolicyRef } from '../schema/training.ts';

/** The models a server answers for: ids mapped to a policy reference, loaded into a Policy on first use. */
export interface ServedModels {
  list(): string[];
  /** The policy serving `id`, or undefined when no such model is served. */
  get(id: string): Promise<Policy | undefined>;
  /** Serves `ref` (e.g. a fine-tune's result) under `id` from now on. */
  add(id: string, ref: PolicyRef): void;
  /** Stops serving `id` (e.g. an unloaded adapter); false when it was not served. */
  remove(id: string): Promise<boolean>;
  /** Where the model `id` lives (a fine-tune starts from it), or undefined when not served. */
  ref(id: string): PolicyRef | undefined;
  close(): Promise<void>;
}

/** Builds the Policy for a model; `id` is the served name, `ref` where its weights live. */
export type PolicyLoader = (id: string, ref: PolicyRef) => Promise<Policy> | Policy;

export function createServedModels(initial: Record<string, PolicyRef>, load: PolicyLoader): ServedModels {
  const refs = new Map(Object.entries(initial));
  // Promises, not policies, so that two requests arriving together load a model once.
  const loaded = new Map<string, Promise<Policy>>();

  return {
    list: () => [...refs.keys()],
    get(id) {
      const ref = refs.get(id);
      if (!ref) return Promise.resolve(undefined);
      let policy = loaded.get(id);
      if (!policy) {
        policy = Promise.resolve(load(id, ref));
        // A failed load is not remembered, so the next request tries again.
        policy.catch(() => loaded.delete(id));
        loaded.set(id, policy);
      }
      return policy;
    },
    add(id, ref) {
      refs.set(id, ref);
      loaded.delete(id);
    },
    async remove(id) {
      if (!refs.delete(id)) return false;
      const policy = loaded.get(id);
      loaded.delete(id);
      await policy?.then((p) => p.close?.(), () => undefined);
      return true;
    },
    ref: (id) => refs.get(id),
    async close() {
      const policies = await Promise.allSettled(loaded.values());
      loaded.clear();
      for (const result of policies) if (result.status === 'fulfilled') await result.value.close?.();
    },
  };
}
