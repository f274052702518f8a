import type OpenAI from 'openai';
import { APIConnectionTimeoutError, toFile } from 'openai';
import type { z } from 'zod';
import { AbortedError, PolicyError, StarloopError } from '../../../errors.ts';
import type { Connection } from '../../../openai/connection.ts';
import { describeFailure, isAbort, isRetriedByClient } from '../../../openai/errors.ts';
import { limitedFetch } from '../../../openai/response-limit.ts';
import { childSignal } from '../../../openai/signal.ts';
import { formatIssues } from '../../../schema/format-issues.ts';
import { backoffMs, sleep } from '../../../util/sleep.ts';
import { policyError } from '../failure.ts';
import { BatchList, BatchObject, UploadedFile } from './format.ts';

/** Batch creation is not idempotent, so it is never retried blindly: see `create`. */
const CREATE_ATTEMPTS = 5;
/** Batches looked through for one made from a given input file (newest first). */
const LIST_LIMIT = 100;
const LIST_PAGES = 10;

/** One line of a downloaded file: its number (from 1) and its JSON, or why it is not JSON. */
export type FileLine = { line: number; value: unknown } | { line: number; error: string };

/**
 * The Batch API calls of one endpoint. Every failure becomes a PolicyError naming what was being
 * done (the server's text with the key masked); an interruption becomes an AbortedError.
 */
export class BatchApi {
  readonly #endpoint: Connection;
  readonly #signal: AbortSignal | undefined;
  readonly #timeoutMs: number;

  constructor(endpoint: Connection, options: { signal?: AbortSignal; timeoutMs: number }) {
    this.#endpoint = endpoint;
    this.#signal = options.signal;
    this.#timeoutMs = options.timeoutMs;
  }

  get url(): string {
    return this.#endpoint.url;
  }

  async upload(content: string): Promise<string> {
    const file = await this.#call('uploading the batch input file', async (client, signal) =>
      client.files.create({ file: await toFile(Buffer.from(content, 'utf8'), 'starloop-batch.jsonl'), purpose: 'batch' }, { signal }),
    );
    return this.#parse(UploadedFile, file, 'file object').id;
  }

  /**
   * Creates a batch without the client's own retries: when an answer is lost (timeout, reset,
   * 5xx) the batch may exist all the same, so the server's list is asked before trying again.
   */
  async create(inputFileId: string, endpoint: string): Promise<BatchObject> {
    const body = { input_file_id: inputFileId, endpoint: endpoint as '/v1/chat/completions', completion_window: '24h' as const };
    for (let attempt = 1; ; attempt++) {
      try {
        return this.#parse(BatchObject, await this.#send((client, signal) => client.batches.create(body, { signal, maxRetries: 0 })), 'batch object');
      } catch (error) {
        if (error instanceof StarloopError || !isRetriedByClient(error) || attempt >= CREATE_ATTEMPTS || this.#signal?.aborted) throw this.#failed('creating the batch', error);
        const existing = await this.find(inputFileId);
        if (existing) return existing;
        await sleep(backoffMs(attempt - 1, 1_000, 16_000), this.#signal, 'sampling interrupted');
      }
    }
  }

  /** A batch made from `inputFileId` that has not failed, e.g. by a process that died before saving its id. */
  async find(inputFileId: string): Promise<BatchObject | undefined> {
    let after: string | undefined;
    for (let page = 0; page < LIST_PAGES; page++) {
      const query = { limit: LIST_LIMIT, ...(after ? { after } : {}) };
      const list = this.#parse(BatchList, await this.#call('listing batches', (client, signal) => client.batches.list(query, { signal })), 'batch list');
      const found = list.data.find((b) => b.input_file_id === inputFileId && b.status !== 'failed');
      if (found) return found;
      if (!list.has_more || list.data.length === 0) return undefined;
      after = list.data.at(-1)!.id;
    }
    return undefined;
  }

  async retrieve(batchId: string): Promise<BatchObject> {
    return this.#parse(BatchObject, await this.#call(`checking batch ${batchId}`, (client, signal) => client.batches.retrieve(batchId, { signal })), 'batch object');
  }

  /**
   * A file's lines as they download, never more than `maxLineBytes` a line nor `maxBytes` in all,
   * and within the policy's timeout per chunk.
   */
  async *lines(fileId: string, limits: { maxLineBytes: number; maxBytes: number }): AsyncGenerator<FileLine> {
    const what = `downloading file ${fileId}`;
    const response = await this.#call(what, (client, signal) =>
      client.withOptions({ fetch: limitedFetch(limits.maxBytes, 'the most a batch of this size may return') }).files.content(fileId, { signal }),
    );
    if (response.body === null) return;
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let pending = '';
    let line = 0;
    try {
      for (;;) {
        const { done, value } = await this.#read(reader, what);
        const text = done ? decoder.decode() : decoder.decode(value, { stream: true });
        const parts = (pending + text).split('\n');
        pending = done ? '' : parts.pop()!;
        if (Buffer.byteLength(pending) > limits.maxLineBytes) throw new PolicyError(`${what}: line ${line + 1} is over ${limits.maxLineBytes} bytes, more than one answer may take`);
        for (const part of parts) {
          line++;
          if (part.trim() === '') continue;
          if (Buffer.byteLength(part) > limits.maxLineBytes) throw new PolicyError(`${what}: line ${line} is over ${limits.maxLineBytes} bytes, more than one answer may take`);
          yield parseLine(line, part);
        }
        if (done) return;
      }
    } finally {
      void reader.cancel().catch(() => undefined);
    }
  }

  /** The next chunk, or a PolicyError when none comes within the timeout. */
  async #read(reader: ReadableStreamDefaultReader<Uint8Array>, what: string): Promise<Awaited<ReturnType<ReadableStreamDefaultReader<Uint8Array>["read"]>>> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new APIConnectionTimeoutError({ message: `no data for ${this.#timeoutMs} ms` })), this.#timeoutMs);
    });
    try {
      return await Promise.race([reader.read(), timeout]);
    } catch (error) {
      throw this.#failed(what, error);
    } finally {
      clearTimeout(timer);
    }
  }

  async #send<T>(fn: (client: OpenAI, signal: AbortSignal) => Promise<T>): Promise<T> {
    const child = childSignal(this.#signal);
    try {
      return await fn(this.#endpoint.client, child.signal);
    } finally {
      child.dispose();
    }
  }

  #call<T>(what: string, fn: (client: OpenAI, signal: AbortSignal) => Promise<T>): Promise<T> {
    return this.#send(fn).catch((error: unknown) => {
      throw this.#failed(what, error);
    });
  }

  #failed(what: string, error: unknown): Error {
    if (error instanceof StarloopError) return error;
    if (this.#signal?.aborted || isAbort(error)) return new AbortedError('sampling interrupted', { cause: error });
    const failure = describeFailure(this.#endpoint, error, { timeoutMs: this.#timeoutMs, attempts: 1 });
    return policyError({ ...failure, message: `${what}: ${failure.message}` });
  }

  #parse<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
    const result = schema.safeParse(value);
    if (!result.success) throw new PolicyError(`${this.url} sent a malformed ${what}: ${formatIssues(result.error).replace(/\n/g, '; ')}`, { code: 'POLICY_BAD_RESPONSE' });
    return result.data;
  }
}

function parseLine(line: number, text: string): FileLine {
  try {
    return { line, value: JSON.parse(text) };
  } catch (error) {
    return { line, error: (error as Error).message };
  }
}
