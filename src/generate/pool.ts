import { RougePool } from './rouge-index.ts';
import { normalizedText } from './text-filters.ts';

/** Why a text is refused by the pool: it repeats a problem there, or is too near one. */
export type PoolRefusal = { reason: 'exact-duplicate' | 'normalized-duplicate' | 'rouge'; nearest: string; score: number };

/**
 * Every problem a new one must differ from (seeds and kept ones): by its exact text, its
 * normalized words, and ROUGE-L F1 below the threshold (the n-gram-indexed RougePool).
 */
export class ProblemPool {
  readonly #rouge: RougePool;
  readonly #ids: string[] = [];
  readonly #exact = new Map<string, string>();
  readonly #normalized = new Map<string, string>();

  constructor(threshold: number) {
    this.#rouge = new RougePool(threshold);
  }

  get size(): number {
    return this.#ids.length;
  }

  add(id: string, text: string): void {
    this.#rouge.add(text);
    this.#ids.push(id);
    if (!this.#exact.has(text.trim())) this.#exact.set(text.trim(), id);
    const normalized = normalizedText(text);
    if (!this.#normalized.has(normalized)) this.#normalized.set(normalized, id);
  }

  refusal(text: string): PoolRefusal | undefined {
    const exact = this.#exact.get(text.trim());
    if (exact !== undefined) return { reason: 'exact-duplicate', nearest: exact, score: 1 };
    const normalized = this.#normalized.get(normalizedText(text));
    if (normalized !== undefined) return { reason: 'normalized-duplicate', nearest: normalized, score: 1 };
    const check = this.#rouge.check(text);
    if (!check.accepted) return { reason: 'rouge', nearest: this.#ids[check.match], score: check.score };
    return undefined;
  }

  /** The pool problem nearest to `text` by ROUGE-L F1, exactly; undefined when it shares no word with any. */
  nearest(text: string): { id: string; score: number } | undefined {
    const found = this.#rouge.nearest(text);
    return found && { id: this.#ids[found.position], score: found.score };
  }
}
