/**
 * Hands values from concurrent producers to one async-iterating consumer, in arrival order.
 * The first failure ends the iteration with that error, once the values pushed before it are
 * consumed; later failures and values are dropped.
 *
 * Bounded by back-pressure rather than by refusal: `push` always accepts (a value stands for a
 * paid request), and producers await `whenRoom` before taking on more work, so at most `capacity`
 * values plus what the producers already hold are ever buffered. Taking a value is O(1).
 */
export class Channel<T> {
  readonly capacity: number;
  #buffer: T[] = [];
  #head = 0;
  #closed = false;
  #cancelled = false;
  #error: { value: unknown } | undefined;
  #wake: (() => void) | undefined;
  #roomWaiters: (() => void)[] = [];

  constructor(capacity = Number.POSITIVE_INFINITY) {
    this.capacity = capacity;
  }

  get size(): number {
    return this.#buffer.length - this.#head;
  }

  push(value: T): void {
    if (this.#closed || this.#error) return;
    this.#buffer.push(value);
    this.#notify();
  }

  close(): void {
    this.#closed = true;
    this.#notify();
  }

  fail(error: unknown): void {
    if (this.#error || this.#closed) return;
    this.#error = { value: error };
    this.#notify();
  }

  /** The consumer left: producers waiting for room are released, and nothing more is buffered. */
  cancel(): void {
    this.#cancelled = true;
    this.#closed = true;
    this.#releaseRoom();
  }

  /** Resolves when fewer than `capacity` values are buffered (at once when so), or when the consumer left. */
  whenRoom(): Promise<void> {
    if (this.size < this.capacity || this.#cancelled) return Promise.resolve();
    return new Promise((resolve) => this.#roomWaiters.push(resolve));
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T> {
    for (;;) {
      // Values that arrived before a failure are delivered first: each stands for a paid request.
      if (this.size > 0) {
        yield this.#shift();
        continue;
      }
      if (this.#error) throw this.#error.value;
      if (this.#closed) return;
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    }
  }

  #shift(): T {
    const value = this.#buffer[this.#head];
    this.#buffer[this.#head] = undefined as T;
    this.#head++;
    // Compacts once the consumed prefix is most of the array: amortized O(1) per value.
    if (this.#head >= 1024 && this.#head * 2 >= this.#buffer.length) {
      this.#buffer = this.#buffer.slice(this.#head);
      this.#head = 0;
    }
    if (this.size < this.capacity) this.#releaseRoom();
    return value;
  }

  #releaseRoom(): void {
    if (this.#roomWaiters.length === 0) return;
    const waiters = this.#roomWaiters;
    this.#roomWaiters = [];
    for (const resolve of waiters) resolve();
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}
