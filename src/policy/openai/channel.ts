/**
 * Hands values from concurrent producers to one async-iterating consumer, in arrival order.
 * The first failure ends the iteration with that error, once the values pushed before it are
 * consumed; later failures and values are dropped.
 */
export class Channel<T> {
  readonly #buffer: T[] = [];
  #closed = false;
  #error: { value: unknown } | undefined;
  #wake: (() => void) | undefined;

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

  async *[Symbol.asyncIterator](): AsyncGenerator<T> {
    for (;;) {
      // Values that arrived before a failure are delivered first: each stands for a paid request.
      const next = this.#buffer.shift();
      if (next !== undefined) {
        yield next;
        continue;
      }
      if (this.#error) throw this.#error.value;
      if (this.#closed) return;
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    }
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}
