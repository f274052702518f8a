import { VerifierError } from '../errors.ts';
import type { Problem, VerifierRef } from '../schema/problem.ts';
import type { AnyVerifier } from './define.ts';
import type { VerifierRegistry } from './registry.ts';
import { parseVerifierOptions } from './run.ts';

export interface ResolvedVerifier {
  verifier: AnyVerifier;
  options: unknown;
}

function refParts(ref: VerifierRef): { id: string; options: Record<string, unknown> } {
  return typeof ref === 'string' ? { id: ref, options: {} } : { id: ref.id, options: ref.options ?? {} };
}

/**
 * Picks each problem's verifier (its own, else the config's) and parses its options once per
 * distinct (id, options). A problem naming the config's verifier inherits the config's options.
 */
export class VerifierResolver {
  readonly #registry: VerifierRegistry;
  readonly #default: { id: string; options: Record<string, unknown> } | undefined;
  readonly #cache = new Map<string, ResolvedVerifier>();

  /** `defaultRef` judges problems that name no verifier (the config's `verifier`). */
  constructor(registry: VerifierRegistry, defaultRef: VerifierRef | undefined) {
    this.#registry = registry;
    this.#default = defaultRef === undefined ? undefined : refParts(defaultRef);
  }

  /** Fails early (before anything is sampled) on unknown ids or bad options. */
  checkAll(problems: readonly Problem[]): void {
    if (this.#default) this.resolveRef(undefined, 'config');
    for (const problem of problems) this.resolve(problem);
  }

  resolve(problem: Problem): ResolvedVerifier {
    return this.resolveRef(problem.verifier, `problem ${problem.id}`);
  }

  private resolveRef(ref: VerifierRef | undefined, where: string): ResolvedVerifier {
    const own = ref ? refParts(ref) : undefined;
    const id = own?.id ?? this.#default?.id;
    if (id === undefined) throw new VerifierError('VERIFIER_UNKNOWN', `${where} names no verifier and none is configured; set verifier: in the config`);
    const options = { ...(id === this.#default?.id ? this.#default.options : {}), ...(own?.options ?? {}) };
    const key = `${id}\u0000${JSON.stringify(options)}`;
    let resolved = this.#cache.get(key);
    if (!resolved) {
      const verifier = this.#registry.get(id);
      resolved = { verifier, options: parseVerifierOptions(verifier, options, where) };
      this.#cache.set(key, resolved);
    }
    return resolved;
  }

  /**
   * Warms up each verifier resolved so far (see `VerifierDefinition.warmUp`), so the first verdicts
   * are not time-outs of a library still loading. Returns how long each one that warms up took.
   */
  async warmUp(): Promise<{ id: string; ms: number }[]> {
    const verifiers = new Set([...this.#cache.values()].map(({ verifier }) => verifier));
    const warmed: { id: string; ms: number }[] = [];
    for (const verifier of verifiers) {
      if (!verifier.warmUp) continue;
      const started = performance.now();
      await verifier.warmUp();
      warmed.push({ id: verifier.id, ms: performance.now() - started });
    }
    return warmed;
  }

  /** id → version of every verifier in use, for the manifest. */
  versions(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const { verifier } of this.#cache.values()) out[verifier.id] = verifier.version;
    return out;
  }
}
