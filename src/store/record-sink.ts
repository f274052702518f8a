import type { z } from 'zod';
import { iterateJsonl } from './jsonl.ts';
import { storeIoAsync } from './io-error.ts';
import { JsonlAppender } from './jsonl-appender.ts';
import { repairTornTail } from './torn-tail.ts';

/** An append-only store of records with an identity: what is there already, and where new ones go. */
export interface RecordSink<T> {
  /** Every stored record, in file order, one at a time (a file of a million records is never held whole). */
  scan(): AsyncIterable<T>;
  /** Every stored record by identity (a later line with the same identity wins); for small files. */
  load(): Promise<Map<string, T>>;
  /** Resolves once the records are in the file; several appends may be in flight, and land in call order. */
  append(records: T[]): Promise<void>;
  /** Writes what is queued and releases the file. */
  close(): Promise<void>;
}

/**
 * A JSONL file as a record sink. Before the first read or append, a line torn by `kill -9` is cut
 * off, so the file stays one valid record per line.
 */
export class JsonlRecordSink<S extends z.ZodType> implements RecordSink<z.output<S>> {
  readonly path: string;
  readonly #schema: S;
  readonly #identity: (record: z.output<S>) => string;
  readonly #appender: JsonlAppender;
  #ready: Promise<void> | undefined;

  constructor(path: string, schema: S, identity: (record: z.output<S>) => string) {
    this.path = path;
    this.#schema = schema;
    this.#identity = identity;
    this.#appender = new JsonlAppender(path);
  }

  async *scan(): AsyncGenerator<z.output<S>> {
    await this.#prepare();
    const records = iterateJsonl(this.path, this.#schema)[Symbol.asyncIterator]();
    for (;;) {
      const next = await storeIoAsync(this.path, () => records.next(), 'read');
      if (next.done) return;
      yield next.value;
    }
  }

  async load(): Promise<Map<string, z.output<S>>> {
    const byId = new Map<string, z.output<S>>();
    for await (const record of this.scan()) byId.set(this.#identity(record), record);
    return byId;
  }

  async append(records: z.output<S>[]): Promise<void> {
    if (records.length === 0) return;
    await this.#prepare();
    await this.#appender.appendLine(records.map((r) => `${JSON.stringify(r)}\n`).join(''));
  }

  close(): Promise<void> {
    return this.#appender.close();
  }

  // The appender repairs the tail too when it opens; reading first must not trip over a torn line either.
  #prepare(): Promise<void> {
    this.#ready ??= storeIoAsync(this.path, async () => {
      await repairTornTail(this.path);
    });
    return this.#ready;
  }
}
