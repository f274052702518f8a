import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { FileFormatError } from '../errors.ts';
import { formatIssues } from '../schema/format-issues.ts';
import { runIoError } from './io-error.ts';

/**
 * Reads a JSON file of a run through `schema`. A missing file is `undefined` unless `what` says
 * what it is, which makes it an error naming it; a file that does not parse is always an error.
 */
export async function readJsonFile<S extends z.ZodType>(path: string, schema: S, what: string): Promise<z.output<S>>;
export async function readJsonFile<S extends z.ZodType>(path: string, schema: S): Promise<z.output<S> | undefined>;
export async function readJsonFile<S extends z.ZodType>(path: string, schema: S, what?: string): Promise<z.output<S> | undefined> {
  const name = what ? `${what} ${path}` : path;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !what) return undefined;
    const io = runIoError(path, error, 'read');
    if (io !== error) throw io;
    throw new FileFormatError(`${name} cannot be read (${code ?? String(error)})`, { cause: error });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new FileFormatError(`${name} is not valid JSON (${(error as Error).message})`, { cause: error });
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new FileFormatError(`${name} is invalid:\n${formatIssues(parsed.error).replace(/^/gm, `${path}: `)}`);
  return parsed.data;
}
