import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { appendFile, open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { z } from 'zod';
import { FileFormatError } from '../errors.ts';
import { formatIssues } from '../schema/format-issues.ts';

export interface JsonlReadOptions {
  /**
   * A run file's last line may be cut short by `kill -9` mid-write. With `tolerateTornTail`,
   * an unparseable *last* line without a trailing newline is skipped instead of failing.
   */
  tolerateTornTail?: boolean;
}

/** Reads every line of a JSONL file through `schema`; errors name `file:line`. Missing file → []. */
export async function readJsonl<S extends z.ZodType>(path: string, schema: S, options: JsonlReadOptions = {}): Promise<z.output<S>[]> {
  const out: z.output<S>[] = [];
  for await (const item of iterateJsonl(path, schema, options)) out.push(item);
  return out;
}

async function* iterateJsonl<S extends z.ZodType>(path: string, schema: S, options: JsonlReadOptions = {}): AsyncGenerator<z.output<S>> {
  if (!existsSync(path)) return;
  const endsWithNewline = await fileEndsWithNewline(path);
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let lineNumber = 0;
  let pending: { text: string; line: number } | undefined;
  for await (const text of lines) {
    lineNumber++;
    if (pending) yield parseLine(path, pending.line, pending.text, schema);
    pending = text.trim() === '' ? undefined : { text, line: lineNumber };
  }
  if (pending) {
    if (options.tolerateTornTail && !endsWithNewline) {
      try {
        yield parseLine(path, pending.line, pending.text, schema);
      } catch {
        return;
      }
    } else {
      yield parseLine(path, pending.line, pending.text, schema);
    }
  }
}

/** The same as `readJsonl`, all at once, for scripts that read whole reference files. */
export function readJsonlSync<S extends z.ZodType>(path: string, schema: S): z.output<S>[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .flatMap((text, index) => (text.trim() === '' ? [] : [parseLine(path, index + 1, text, schema)]));
}

function parseLine<S extends z.ZodType>(path: string, line: number, text: string, schema: S): z.output<S> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new FileFormatError(`${path}:${line}: not valid JSON (${(error as Error).message})`, { cause: error });
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new FileFormatError(`${path}:${line}: ${formatIssues(parsed.error).replace(/\n/g, `\n${path}:${line}: `)}`);
  return parsed.data;
}

async function fileEndsWithNewline(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    if (size === 0) return true;
    const buffer = Buffer.alloc(1);
    await handle.read(buffer, 0, 1, size - 1);
    return buffer[0] === 0x0a;
  } finally {
    await handle.close();
  }
}

/** Appends records, one JSON line each, in a single write so a line is never interleaved. */
export async function appendJsonl(path: string, records: readonly unknown[]): Promise<void> {
  if (records.length === 0) return;
  await appendFile(path, records.map((r) => JSON.stringify(r)).join('\n') + '\n', 'utf8');
}
