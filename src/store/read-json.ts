import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { FileFormatError } from '../errors.ts';
import { formatIssues } from '../schema/format-issues.ts';

/** Reads a JSON file through `schema`; undefined when the file does not exist. */
export async function readJsonFile<S extends z.ZodType>(path: string, schema: S): Promise<z.output<S> | undefined> {
  if (!existsSync(path)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new FileFormatError(`${path}: not valid JSON (${(error as Error).message})`, { cause: error });
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new FileFormatError(`${path}: ${formatIssues(parsed.error)}`);
  return parsed.data;
}
