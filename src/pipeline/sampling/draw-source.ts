import type { GenerationRequest, RequestSource } from '../../policy/policy.ts';
import type { Budget, SampleEstimate } from '../budget.ts';
import type { DrawEntry, DrawIndex } from './draw-index.ts';
import { State } from './draw-index.ts';
import { type Goals, neededIndices } from './strategy.ts';

/** A FIFO of entries, each in it at most once; O(1) per step. */
class ReadyQueue {
  #items: DrawEntry[] = [];
  #head = 0;

  get size(): number {
    return this.#items.length - this.#head;
  }

  push(entry: DrawEntry): void {
    if (entry.queued) return;
    entry.queued = true;
    this.#items.push(entry);
  }

  shift(): DrawEntry | undefined {
    if (this.size === 0) return undefined;
    const entry = this.#items[this.#head++];
    if (this.#head >= 1024 && this.#head * 2 >= this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    entry.queued = false;
    return entry;
  }
}

export interface DrawSourceOptions {
  index: DrawIndex;
  goals: Goals;
  budget?: Budget;
  /** A sample's most cost, for the budget's reservation. */
  estimate: (entry: DrawEntry) => SampleEstimate;
  signal?: AbortSignal;
}

/**
 * Hands a draw's requests to the policy as the strategy decides them. A problem is looked at when
 * its state changes (a verdict came in, the goals were set); what it needs, under its goal and the
 * budget, goes out as one request for those indices. The source ends when every problem is settled,
 * when the budget is reached with nothing in flight, or on abort.
 */
export class DrawSource implements RequestSource {
  readonly #options: DrawSourceOptions;
  readonly #ready = new ReadyQueue();
  /** Entries that wanted samples the budget had no room for: looked at again when a sample arrives. */
  #blocked: DrawEntry[] = [];
  #wake: (() => void) | undefined;
  readonly #onAbort = () => this.#notify();
  /** Samples asked for and not arrived. */
  inFlight = 0;
  /** Samples stored and not judged. */
  unjudged = 0;
  settled = 0;
  budgetReached = false;

  constructor(options: DrawSourceOptions) {
    this.#options = options;
    for (const entry of options.index.entries) this.#ready.push(entry);
    options.signal?.addEventListener('abort', this.#onAbort, { once: true });
  }

  /** The draw is over: the run's signal, which outlives it, stops holding on to this source. */
  dispose(): void {
    this.#options.signal?.removeEventListener('abort', this.#onAbort);
  }

  /** A problem's state changed: look at it again. */
  changed(entry: DrawEntry): void {
    this.#ready.push(entry);
    this.#notify();
  }

  /** A requested sample arrived: the budget may have room again for what was held back. */
  arrived(): void {
    this.inFlight--;
    if (this.#blocked.length) {
      for (const entry of this.#blocked) this.#ready.push(entry);
      this.#blocked = [];
    }
    this.#notify();
  }

  async take(max: number): Promise<GenerationRequest[] | undefined> {
    for (;;) {
      if (this.#options.signal?.aborted) return undefined;
      const batch = this.#next(Math.max(1, max));
      if (batch.length) return batch;
      if (this.#blocked.length && this.inFlight === 0) {
        // Nothing in flight can free room: the budget is reached.
        this.budgetReached = true;
        return undefined;
      }
      if (this.#ready.size === 0 && this.#blocked.length === 0 && this.inFlight === 0 && this.unjudged === 0) return undefined;
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    }
  }

  #next(max: number): GenerationRequest[] {
    const { goals, budget, estimate } = this.#options;
    const batch: GenerationRequest[] = [];
    while (batch.length < max) {
      const entry = this.#ready.shift();
      if (!entry) break;
      if (entry.settled) continue;
      const { wanted, settled } = neededIndices((i) => entry.slot(i), goals.goal(entry.position));
      if (settled) {
        this.#settle(entry);
        continue;
      }
      // Nothing wanted yet: verdicts are outstanding; the entry comes back when they are in.
      if (wanted.length === 0) continue;
      const admitted = budget ? wanted.slice(0, budget.reserve(wanted.length, estimate(entry))) : wanted;
      if (admitted.length < wanted.length) this.#blocked.push(entry);
      if (admitted.length === 0) continue;
      for (const index of admitted) entry.set(index, State.Requested);
      this.inFlight += admitted.length;
      batch.push({ key: entry.key, ...entry.prompt(), indices: admitted, idOf: (i) => entry.idOf(i) });
    }
    return batch;
  }

  #settle(entry: DrawEntry): void {
    entry.settled = true;
    this.settled++;
    const { goals, index } = this.#options;
    // prop2diff: once every probe is in, each problem gets its goal and is looked at again.
    if (goals.probing && goals.probed((position) => index.entries[position].count(State.Correct, goals.plan.k))) {
      this.settled = 0;
      for (const other of index.entries) {
        other.settled = false;
        this.#ready.push(other);
      }
    }
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}
