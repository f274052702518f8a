import type { ProblemFormat } from '../config/schema.ts';
import type { ProblemFormatReader } from './format.ts';
import { gsm8kFormat } from './gsm8k.ts';
import { humanevalFormat } from './humaneval.ts';
import { mathFormat } from './math.ts';
import { mbppFormat } from './mbpp.ts';
import { nativeFormat } from './native.ts';

/** Most specific first: HumanEval and MBPP lines also carry `prompt`, which alone means native. */
export const problemFormats: readonly ProblemFormatReader[] = [humanevalFormat, mbppFormat, gsm8kFormat, mathFormat, nativeFormat];

export type ConcreteProblemFormat = Exclude<ProblemFormat, 'auto'>;

export function formatReader(name: ConcreteProblemFormat): ProblemFormatReader {
  const reader = problemFormats.find((format) => format.name === name);
  if (!reader) throw new Error(`no reader for problem format ${name}`);
  return reader;
}

/** The layout whose keys the record has, or undefined when none fits. */
export function detectFormat(record: unknown): ProblemFormatReader | undefined {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) return undefined;
  const keys = new Set(Object.keys(record));
  return problemFormats.find((format) => format.matches(keys));
}
