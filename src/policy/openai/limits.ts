import PQueue from 'p-queue';
import { sleep } from '../../util/sleep.ts';

/**
 * One queue caps requests in flight (`concurrency`) and spaces their starts (`requestsPerMinute`):
 * with a sliding window of one request per 60000/rpm ms, starts are evenly spread rather than
 * bursting at the top of each minute, which is what providers' per-minute limits punish.
 */
export function createRequestQueue(concurrency: number, requestsPerMinute: number | undefined): PQueue {
  if (requestsPerMinute === undefined) return new PQueue({ concurrency });
  return new PQueue({ concurrency, interval: 60_000 / requestsPerMinute, intervalCap: 1, strict: true });
}

/**
 * A tokens-per-minute budget as a token bucket: a request takes its estimated tokens before it
 * starts and the estimate is corrected with the real usage afterwards (the balance may go below
 * zero, which delays later requests). A request larger than the whole bucket waits for a full one.
 */
export class TokenBucket {
  readonly #capacity: number;
  readonly #perMs: number;
  #tokens: number;
  #updated = performance.now();
  #waiting: Promise<void> = Promise.resolve();

  constructor(tokensPerMinute: number) {
    this.#capacity = tokensPerMinute;
    this.#perMs = tokensPerMinute / 60_000;
    this.#tokens = tokensPerMinute;
  }

  /** Waits until `tokens` are available (first come, first served) and takes them. */
  take(tokens: number, signal?: AbortSignal): Promise<void> {
    const turn = this.#waiting.then(async () => {
      const wanted = Math.min(tokens, this.#capacity);
      for (;;) {
        this.#refill();
        if (this.#tokens >= wanted) break;
        await sleep(Math.ceil((wanted - this.#tokens) / this.#perMs), signal);
      }
      this.#tokens -= tokens;
    });
    this.#waiting = turn.catch(() => undefined);
    return turn;
  }

  /** Books the difference between what a request really used and what was taken for it. */
  adjust(difference: number): void {
    this.#refill();
    this.#tokens = Math.min(this.#capacity, this.#tokens - difference);
  }

  #refill(): void {
    const now = performance.now();
    this.#tokens = Math.min(this.#capacity, this.#tokens + (now - this.#updated) * this.#perMs);
    this.#updated = now;
  }
}

/** A response's fixed part (ids, usage, one choice's wrapping) whatever max_tokens says. */
const RESPONSE_BASE_BYTES = 1024 * 1024;
/**
 * Bytes one generated token may take in a response: its text JSON-escaped plus logprobs with a
 * top-20 list (which extraBody may ask for) fit in well under this.
 */
const RESPONSE_BYTES_PER_TOKEN = 2048;

/** The most a response with `choices` choices of at most `maxTokens` tokens may take, raw or decompressed. */
export function responseByteLimit(maxTokens: number, choices: number): number {
  return RESPONSE_BASE_BYTES + choices * maxTokens * RESPONSE_BYTES_PER_TOKEN;
}

export const DEFAULT_RATE_LIMIT_PATIENCE_MS = 600_000;
