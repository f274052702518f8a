import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { appendFile, open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { z } from 'zod';
import { FileFormatError } from '../errors.ts';
import { formatIssues } from '../schema/format-issues.ts';
import { storeIoAsync } from './io-error.ts';

/**
 * The one JSONL reader: every file starloop reads line by line (problems, samples, verdicts,
 * datasets, golden cases) goes through it, so all get the same byte-order-mark and CRLF handling
 * and the same `file:line:` errors.
 */

export interface JsonlLine {
  /** 1-based line number in the file. */
  line: number;
  text: string;
}

/** Windows editors start UTF-8 files with a byte order mark, which JSON.parse rejects. */
const stripBom = (text: string, line: number) => (line === 1 && text.startsWith('\uFEFF') ? text.slice(1) : text);

/** The non-blank lines of a file, with their numbers. Stopping early closes the file. */
export async function* jsonlLines(path: string): AsyncGenerator<JsonlLine> {
  const input = createReadStream(path, { encoding: 'utf8' });
  const lines = createInterface({ input, crlfDelay: Infinity });
  let line = 0;
  try {
    for await (const raw of lines) {
      line++;
      const text = stripBom(raw, line);
      if (text.trim() !== '') yield { line, text };
    }
  } finally {
    input.destroy();
  }
}

/** Parses one line's JSON; the error names `file:line`. */
export function parseJsonLine(path: string, { line, text }: JsonlLine): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new FileFormatError(`${path}:${line}: not valid JSON (${(error as Error).message})`, { cause: error });
  }
}

/** Parses one line through `schema`; every issue is reported as `file:line: key: problem`. */
export function parseJsonlLine<S extends z.ZodType>(path: string, line: JsonlLine, schema: S): z.output<S> {
  const parsed = schema.safeParse(parseJsonLine(path, line));
  if (!parsed.success) throw new FileFormatError(`${path}:${line.line}: ${formatIssues(parsed.error).replace(/\n/g, `\n${path}:${line.line}: `)}`);
  return parsed.data;
}

export interface JsonlReadOptions {
  /**
   * A run file's last line may be cut short by `kill -9` mid-write. With `tolerateTornTail`,
   * an unparseable *last* line without a trailing newline is skipped instead of failing.
   */
  tolerateTornTail?: boolean;
}

/** Every record of a JSONL file through `schema`, one by one. A missing file has none. */
export async function* iterateJsonl<S extends z.ZodType>(path: string, schema: S, options: JsonlReadOptions = {}): AsyncGenerator<z.output<S>> {
  if (!existsSync(path)) return;
  const tornTailPossible = options.tolerateTornTail === true && !(await fileEndsWithNewline(path));
  let pending: JsonlLine | undefined;
  for await (const line of jsonlLines(path)) {
    if (pending) yield parseJsonlLine(path, pending, schema);
    pending = line;
  }
  if (!pending) return;
  if (!tornTailPossible) {
    yield parseJsonlLine(path, pending, schema);
    return;
  }
  let last: z.output<S>;
  try {
    last = parseJsonlLine(path, pending, schema);
  } catch {
    return;
  }
  yield last;
}

/** Every record of a JSONL file through `schema`; a missing file → []. */
export async function readJsonl<S extends z.ZodType>(path: string, schema: S, options: JsonlReadOptions = {}): Promise<z.output<S>[]> {
  const out: z.output<S>[] = [];
  for await (const item of iterateJsonl(path, schema, options)) out.push(item);
  return out;
}

/** The non-blank lines of a small file, read at once (scripts, golden cases), with their numbers. */
export function jsonlLinesSync(path: string): JsonlLine[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .flatMap((raw, index) => {
      const text = stripBom(raw.replace(/\r$/, ''), index + 1);
      return text.trim() === '' ? [] : [{ line: index + 1, text }];
    });
}

/** The same as `readJsonl`, all at once, for scripts and small files read before any work starts. */
export function readJsonlSync<S extends z.ZodType>(path: string, schema: S): z.output<S>[] {
  return jsonlLinesSync(path).map((line) => parseJsonlLine(path, line, schema));
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
  await storeIoAsync(path, () => appendFile(path, records.map((r) => JSON.stringify(r)).join('\n') + '\n', 'utf8'));
}
