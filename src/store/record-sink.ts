import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { z } from 'zod';
import { appendJsonl, readJsonl } from './jsonl.ts';
import { storeIoAsync } from './io-error.ts';
import { repairTornTail } from './torn-tail.ts';

/** An append-only store of records with an identity: what is there already, and where new ones go. */
export interface RecordSink<T> {
  /** Every stored record by identity (a later line with the same identity wins). */
  load(): Promise<Map<string, T>>;
  append(records: T[]): Promise<void>;
}

/**
 * A JSONL file as a record sink. Before the first read or append, a line torn by `kill -9` is cut
 * off, so the file stays one valid record per line.
 */
export class JsonlRecordSink<S extends z.ZodType> implements RecordSink<z.output<S>> {
  readonly path: string;
  readonly #schema: S;
  readonly #identity: (record: z.output<S>) => string;
  #ready: Promise<void> | undefined;

  constructor(path: string, schema: S, identity: (record: z.output<S>) => string) {
    this.path = path;
    this.#schema = schema;
    this.#identity = identity;
  }

  async load(): Promise<Map<string, z.output<S>>> {
    await this.#prepare();
    const byId = new Map<string, z.output<S>>();
    for (const record of await storeIoAsync(this.path, () => readJsonl(this.path, this.#schema), 'read')) byId.set(this.#identity(record), record);
    return byId;
  }

  async append(records: z.output<S>[]): Promise<void> {
    await this.#prepare();
    await appendJsonl(this.path, records);
  }

  #prepare(): Promise<void> {
    this.#ready ??= storeIoAsync(this.path, async () => {
      await mkdir(dirname(this.path), { recursive: true });
      await repairTornTail(this.path);
    });
    return this.#ready;
  }
}
