import { stat } from 'node:fs/promises';
import type { ProblemFormat } from '../config/schema.ts';
import { ProblemFileError } from '../errors.ts';
import { Problem, type Split, type VerifierRef } from '../schema/problem.ts';
import { jsonlLines, parseJsonLine } from '../store/jsonl.ts';
import { formatIssues } from '../schema/format-issues.ts';
import { detectFormat, formatReader, problemFormats, type ConcreteProblemFormat } from './detect.ts';
import { LineIssue, type ProblemFormatReader } from './format.ts';

export interface LoadProblemsOptions {
  /** `auto` (default) picks the layout from the first line's keys. */
  format?: ProblemFormat;
  /** Stamped on problems whose line does not carry a split. */
  split?: Split;
  /** Keep the first N problems in file order; later lines are not read. */
  limit?: number;
}

export interface ProblemFile {
  format: ConcreteProblemFormat;
  problems: Problem[];
  /** The layout's verifier, for problems that name none when the config names none either. */
  defaultVerifier: string;
  /** Things a user should know that are not errors (e.g. a question that appears twice). */
  notices: string[];
}

/** Enough to fix a file in one pass without flooding the terminal. */
const MAX_REPORTED_ERRORS = 20;

/** Loads a JSONL problem file in any supported layout; every bad line is reported as `file:line: what`. */
export async function loadProblems(path: string, options: LoadProblemsOptions = {}): Promise<Problem[]> {
  return (await readProblemFile(path, options)).problems;
}

export async function readProblemFile(path: string, options: LoadProblemsOptions = {}): Promise<ProblemFile> {
  await assertReadableFile(path);
  const errors: string[] = [];
  const problems: Problem[] = [];
  const lineOfId = new Map<string, number>();
  const notices: string[] = [];
  let reader: ProblemFormatReader | undefined = options.format && options.format !== 'auto' ? formatReader(options.format) : undefined;
  let truncated = false;

  for await (const { line: lineNumber, text } of jsonlLines(path)) {
    if (options.limit !== undefined && problems.length >= options.limit) break;
    if (errors.length >= MAX_REPORTED_ERRORS) {
      truncated = true;
      break;
    }
    const report = (what: string) => errors.push(`${path}:${lineNumber}: ${what}`);
    let record: unknown;
    try {
      record = parseJsonLine(path, { line: lineNumber, text });
    } catch (error) {
      errors.push((error as Error).message);
      continue;
    }
    if (!reader) {
      reader = detectFormat(record);
      if (!reader) {
        throw new ProblemFileError(`${path}:${lineNumber}: ${unknownLayoutMessage(record)}`);
      }
    }
    const problem = readLine(reader, record, report);
    if (!problem) continue;
    const firstLine = lineOfId.get(problem.id);
    if (firstLine !== undefined) {
      if (!CONTENT_ID.test(problem.id)) {
        report(`duplicate id "${problem.id}" (first used on line ${firstLine})`);
        continue;
      }
      // An id made from the text repeats because the question does: keep both, told apart.
      let copy = 2;
      while (lineOfId.has(`${problem.id}-${copy}`)) copy++;
      notices.push(`${path}:${lineNumber}: the same question as line ${firstLine}; kept as ${problem.id}-${copy}`);
      problem.id = `${problem.id}-${copy}`;
    }
    lineOfId.set(problem.id, lineNumber);
    if (problem.split === undefined && options.split !== undefined) problem.split = options.split;
    problems.push(problem);
  }

  if (errors.length > 0) {
    const more = truncated ? `\n(stopped after ${MAX_REPORTED_ERRORS} errors)` : '';
    const noun = errors.length === 1 ? 'a bad line' : `${errors.length} bad lines`;
    throw new ProblemFileError(`problem file ${path} has ${noun}:\n${errors.join('\n')}${more}`);
  }
  if (!reader || problems.length === 0) throw new ProblemFileError(`problem file ${path} has no problems (it is empty)`);
  return { format: reader.name, problems, defaultVerifier: reader.defaultVerifier, notices };
}

/** Ids the readers make from a problem's text (see `contentId`). */
const CONTENT_ID = /^(gsm8k|math|native)-[0-9a-f]{12}$/;

/**
 * Which verifier judges a file's problems that name none: the config's `verifier` when it names
 * one, else the layout's default (MATH → math, HumanEval/MBPP → python-tests, GSM8K → numeric),
 * which is then written on those problems. Returns the choice in words, for the run's first lines.
 */
export function applyDefaultVerifier(file: ProblemFile, configVerifier: VerifierRef | undefined): string {
  const own = file.problems.filter((p) => p.verifier !== undefined).length;
  const ownNote = own ? `; ${own} problem${own === 1 ? '' : 's'} name their own` : '';
  if (configVerifier !== undefined) return `${verifierId(configVerifier)} (the config's verifier${ownNote})`;
  for (const problem of file.problems) problem.verifier ??= file.defaultVerifier;
  return `${file.defaultVerifier} (the ${file.format} default; set verifier: in the config to choose another${ownNote})`;
}

export const verifierId = (ref: VerifierRef) => (typeof ref === 'string' ? ref : ref.id);

function readLine(reader: ProblemFormatReader, record: unknown, report: (what: string) => void): Problem | undefined {
  try {
    const problem = reader.read(record);
    // The readers build problems by hand; the shared schema is the last word on their shape.
    const checked = Problem.safeParse(problem);
    if (!checked.success) {
      report(formatIssues(checked.error).replace(/\n/g, '; '));
      return undefined;
    }
    return checked.data;
  } catch (error) {
    if (!(error instanceof LineIssue)) throw error;
    report(`${error.message} (reading as ${reader.name})`);
    return undefined;
  }
}

function unknownLayoutMessage(record: unknown): string {
  const expected = `expected one of: ${problemFormats.map((f) => f.name).join(', ')}; set problems.format to force one`;
  if (record === null || typeof record !== 'object' || Array.isArray(record)) return `a problem line must be a JSON object (${expected})`;
  const keys = Object.keys(record);
  return `cannot tell the file's format from its keys (${keys.join(', ') || 'none'}); ${expected}`;
}

async function assertReadableFile(path: string): Promise<void> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new ProblemFileError(`problem file ${path} is not a file`);
  } catch (error) {
    if (error instanceof ProblemFileError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? String(error)})`;
    throw new ProblemFileError(`problem file ${path} ${why}`, { cause: error });
  }
}
