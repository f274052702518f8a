import PQueue from 'p-queue';

/**
 * Verifier calls, `concurrency` at a time, fed while samples arrive. `submit` waits while as many
 * jobs wait as run, so whoever feeds the pool (the sample stream) slows down to the verifiers'
 * pace instead of queueing a round's worth of candidates in memory. The first job that throws
 * (a verdict that could not be stored) fails the pool: later submits and `drain` reject with it.
 */
export class VerifierPool {
  readonly #queue: PQueue;
  readonly #backlog: number;
  #failure: { error: unknown } | undefined;

  constructor(concurrency: number) {
    this.#queue = new PQueue({ concurrency });
    this.#backlog = Math.max(2, concurrency);
  }

  async submit(job: () => Promise<void>): Promise<void> {
    this.#throwIfFailed();
    await this.#queue.onSizeLessThan(this.#backlog);
    this.#throwIfFailed();
    this.#queue.add(job).catch((error: unknown) => {
      this.#failure ??= { error };
      this.#queue.clear();
    });
  }

  /** Jobs waiting or running. */
  get busy(): number {
    return this.#queue.size + this.#queue.pending;
  }

  /** Waits for every submitted job; rejects with the first failure. */
  async drain(): Promise<void> {
    await this.#queue.onIdle();
    this.#throwIfFailed();
  }

  #throwIfFailed(): void {
    if (this.#failure) throw this.#failure.error;
  }
}
