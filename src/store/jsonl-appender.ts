import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { runIoError, storeIoAsync } from './io-error.ts';
import { repairTornTail } from './torn-tail.ts';

/**
 * Appends JSON lines to one file through a single open WriteStream, in group commits: lines
 * appended during one turn of the event loop go out together in one write, instead of an open,
 * write and close per record (or a stream write, callback and promise per record). A batch is
 * whole lines written by one write call, so `kill -9` leaves at most a torn last line, which is
 * cut off before the next run appends (repairTornTail), exactly as with one appendFile per record.
 *
 * `append` resolves once the line has reached the file (the kernel, so it survives the process),
 * which is what "stored" means to callers that must order writes (a verdict is stored only after
 * its sample). Callers need not await each append: `whenWritable` is the back-pressure signal.
 */
export class JsonlAppender {
  readonly path: string;
  #stream: WriteStream | undefined;
  #opening: Promise<WriteStream> | undefined;
  #failure: unknown;
  /** Lines of the next group commit, and the promise every one of them was given. */
  #queued: string[] = [];
  #commit: Promise<void> | undefined;

  constructor(path: string) {
    this.path = path;
  }

  /** Queues one record; resolves when its line is in the file, rejects with a RunStoreError when the write failed. */
  append(record: unknown): Promise<void> {
    return this.appendLine(`${JSON.stringify(record)}\n`);
  }

  appendLine(line: string): Promise<void> {
    if (this.#failure) return Promise.reject(this.#failure);
    this.#queued.push(line);
    this.#commit ??= this.#commitSoon();
    return this.#commit;
  }

  /** Waits out this turn of the event loop (whatever else it appends joins the batch), then writes the batch. */
  async #commitSoon(): Promise<void> {
    let lines: string[];
    let stream: WriteStream;
    try {
      stream = this.#stream ?? (await this.#open());
      await new Promise<void>((resolve) => setImmediate(resolve));
    } finally {
      lines = this.#queued;
      this.#queued = [];
      this.#commit = undefined;
    }
    if (this.#failure) throw this.#failure;
    await new Promise<void>((resolve, reject) => {
      stream.write(lines.length === 1 ? lines[0] : lines.join(''), 'utf8', (error) => {
        if (error) {
          this.#failure ??= runIoError(this.path, error);
          reject(this.#failure);
        } else resolve();
      });
    });
  }

  /** Resolves when the stream's buffer is below its high-water mark (at once when it is). */
  async whenWritable(): Promise<void> {
    const stream = this.#stream;
    if (!stream?.writableNeedDrain) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        stream.off('drain', done);
        stream.off('close', done);
        resolve();
      };
      stream.on('drain', done).on('close', done);
    });
  }

  /** Writes what is queued and closes the file. */
  async close(): Promise<void> {
    // The batch being gathered goes out first; its failure is its appenders' to see, and is thrown below.
    await this.#commit?.catch(() => undefined);
    const stream = this.#stream ?? (this.#opening ? await this.#opening.catch(() => undefined) : undefined);
    this.#stream = undefined;
    this.#opening = undefined;
    if (!stream || stream.closed) return;
    await new Promise<void>((resolve) => stream.end(() => resolve()));
    if (this.#failure) throw this.#failure;
  }

  #open(): Promise<WriteStream> {
    this.#opening ??= storeIoAsync(this.path, async () => {
      await mkdir(dirname(this.path), { recursive: true });
      await repairTornTail(this.path);
      const stream = createWriteStream(this.path, { flags: 'a', encoding: 'utf8' });
      await new Promise<void>((resolve, reject) => stream.once('open', () => resolve()).once('error', reject));
      // A later error fails the pending writes through their callbacks; this keeps it from being thrown unhandled.
      stream.on('error', (error) => {
        this.#failure ??= runIoError(this.path, error);
      });
      this.#stream = stream;
      return stream;
    });
    return this.#opening;
  }
}
