/** Collects a stream up to a byte budget shared with sibling streams; reports when it is exceeded. */
export class OutputBudget {
  #used = 0;
  exceeded = false;

  constructor(
    readonly maxBytes: number,
    private readonly onExceeded: () => void,
  ) {}

  collector(): { push(chunk: Buffer): void; text(): string } {
    const chunks: Buffer[] = [];
    return {
      push: (chunk: Buffer) => {
        const room = this.maxBytes - this.#used;
        if (room > 0) chunks.push(chunk.subarray(0, room));
        this.#used += chunk.length;
        if (this.#used > this.maxBytes && !this.exceeded) {
          this.exceeded = true;
          this.onExceeded();
        }
      },
      text: () => Buffer.concat(chunks).toString('utf8'),
    };
  }
}
