import type { z } from 'zod';
import type { Problem } from '../schema/problem.ts';
import { formatIssues } from '../schema/format-issues.ts';

/** What is wrong with one line; the loader prefixes it with `file:line: `. */
export class LineIssue extends Error {}

/** One external layout of a problem file: how to recognise a line of it and how to read one. */
export interface ProblemFormatReader {
  name: 'native' | 'gsm8k' | 'math' | 'humaneval' | 'mbpp';
  /** True when the keys of a file's first record look like this layout. */
  matches(keys: ReadonlySet<string>): boolean;
  /** Turns one parsed JSON line into a problem; throws `LineIssue` with what is wrong. */
  read(record: unknown, line: number): Problem;
}

/** Parses `record` with `schema`, turning zod issues into one `LineIssue` that names the keys. */
export function parseRecord<S extends z.ZodType>(schema: S, record: unknown): z.output<S> {
  const parsed = schema.safeParse(record);
  if (!parsed.success) throw new LineIssue(formatIssues(parsed.error).replace(/\n/g, '; '));
  return parsed.data;
}
