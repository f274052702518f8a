import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type { Problem } from '../schema/problem.ts';
import { formatIssues } from '../schema/format-issues.ts';

/** What is wrong with one line; the loader prefixes it with `file:line: `. */
export class LineIssue extends Error {}

/** One external layout of a problem file: how to recognise a line of it and how to read one. */
export interface ProblemFormatReader {
  name: 'native' | 'gsm8k' | 'math' | 'humaneval' | 'mbpp';
  /** The verifier for this layout's problems when neither the line nor the config names one. */
  defaultVerifier: string;
  /** True when the keys of a file's first record look like this layout. */
  matches(keys: ReadonlySet<string>): boolean;
  /**
   * Turns one parsed JSON line into a problem; throws `LineIssue` with what is wrong. A line
   * without an id of its own gets one from its content (`contentId`), so the same question in
   * two files has the same id and the train/eval guard can see it.
   */
  read(record: unknown): Problem;
}

/** `prefix-<12 hex>` from the text's sha256 after trimming and collapsing white space. */
export function contentId(prefix: string, text: string): string {
  return `${prefix}-${createHash('sha256').update(text.trim().replace(/\s+/g, ' ')).digest('hex').slice(0, 12)}`;
}

/** Parses `record` with `schema`, turning zod issues into one `LineIssue` that names the keys. */
export function parseRecord<S extends z.ZodType>(schema: S, record: unknown): z.output<S> {
  const parsed = schema.safeParse(record);
  if (!parsed.success) throw new LineIssue(formatIssues(parsed.error).replace(/\n/g, '; '));
  return parsed.data;
}
