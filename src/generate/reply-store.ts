import { z } from 'zod';
import type { Generation } from '../policy/policy.ts';
import { Usage } from '../schema/sample.ts';
import { JsonlRecordSink } from '../store/record-sink.ts';

/** One reply of the writer (`write`, index 0) or one solution of the solver (`solve`, its sample index), as it arrived. */
export const StoredReply = z
  .object({
    request: z.number().int().nonnegative(),
    role: z.enum(['write', 'solve']),
    index: z.number().int().nonnegative(),
    text: z.string(),
    finishReason: z.string(),
    usage: Usage,
    model: z.string(),
  })
  .strict();
export type StoredReply = z.infer<typeof StoredReply>;
export type ReplyRole = StoredReply['role'];

/** The replies file of an output file. */
export const repliesPath = (out: string) => `${out}.replies.jsonl`;

const keyOf = (role: ReplyRole, request: number, index: number) => `${role}:${request}:${index}`;

/**
 * Every reply paid for, appended as it arrives, so a batch cut short by a kill is not paid for
 * again: a rerun asks only for the replies of its requests that are not stored. Replies of
 * requests already decided (kept or dropped) are not read back into memory.
 */
export class ReplyStore {
  readonly #sink: JsonlRecordSink<typeof StoredReply>;
  readonly #replies = new Map<string, StoredReply>();
  #writes: Promise<void>[] = [];

  constructor(out: string) {
    this.#sink = new JsonlRecordSink(repliesPath(out), StoredReply, (r) => keyOf(r.role, r.request, r.index));
  }

  async load(decided: (request: number) => boolean): Promise<number> {
    for await (const reply of this.#sink.scan()) if (!decided(reply.request)) this.#replies.set(keyOf(reply.role, reply.request, reply.index), reply);
    return this.#replies.size;
  }

  get(role: ReplyRole, request: number, index: number, key: string): Generation | undefined {
    const stored = this.#replies.get(keyOf(role, request, index));
    return stored && { key, index, text: stored.text, finishReason: stored.finishReason, usage: stored.usage, model: stored.model, latencyMs: 0 };
  }

  keep(role: ReplyRole, request: number, index: number, generation: Generation): void {
    const reply: StoredReply = { request, role, index, text: generation.text, finishReason: generation.finishReason, usage: generation.usage, model: generation.model };
    this.#replies.set(keyOf(role, request, index), reply);
    this.#writes.push(this.#sink.append([reply]));
  }

  /** Waits until every reply kept so far is in the file, then drops the decided requests' replies from memory. */
  async settle(decided: readonly number[]): Promise<void> {
    const writes = this.#writes;
    this.#writes = [];
    await Promise.all(writes);
    const gone = new Set(decided);
    for (const [key, reply] of this.#replies) if (gone.has(reply.request)) this.#replies.delete(key);
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.#writes);
    await this.#sink.close();
  }
}
