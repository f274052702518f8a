import { existsSync } from 'node:fs';
import { z } from 'zod';
import { FileFormatError } from '../errors.ts';
import { Problem } from '../schema/problem.ts';
import { VerdictStatus, type Verdict } from '../schema/verdict.ts';
import { jsonlLinesSync, parseJsonlLine } from '../store/jsonl.ts';
import type { AnyVerifier } from './define.ts';
import { parseVerifierOptions, runVerifier } from './run.ts';

/** One line of a user's golden-cases file: what their verifier must say about a candidate. */
export const GoldenCase = z
  .object({
    name: z.string().optional(),
    problem: Problem,
    candidate: z.string(),
    expected: VerdictStatus,
    options: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();
export type GoldenCase = z.infer<typeof GoldenCase>;

export interface GoldenCaseResult {
  /** `file:line` of the case. */
  where: string;
  name?: string;
  expected: VerdictStatus;
  verdict: Verdict;
  passed: boolean;
}

export interface GoldenReport {
  file: string;
  results: GoldenCaseResult[];
  summary: { total: number; passed: number; failed: number };
}

export interface GoldenRunOptions {
  /** Options from the config; a problem's own verifier options and then the case's override them. */
  options?: Record<string, unknown>;
  timeoutMs?: number;
}

/** Reads and checks every case line before running any, so a typo on line 40 is reported at once. */
export function readGoldenCases(casesPath: string): { where: string; golden: GoldenCase }[] {
  if (!existsSync(casesPath)) throw new FileFormatError(`golden cases file ${casesPath} does not exist`);
  const cases = jsonlLinesSync(casesPath).map((line) => ({ where: `${casesPath}:${line.line}`, golden: parseJsonlLine(casesPath, line, GoldenCase) }));
  if (cases.length === 0) throw new FileFormatError(`golden cases file ${casesPath} holds no cases`);
  return cases;
}

/** Runs `verifier` on each golden case the way a run would (options parsed, time limit, crash → error). */
export async function runGoldenCases(verifier: AnyVerifier, casesPath: string, runOptions: GoldenRunOptions = {}): Promise<GoldenReport> {
  const results: GoldenCaseResult[] = [];
  for (const { where, golden } of readGoldenCases(casesPath)) {
    const problemOptions = typeof golden.problem.verifier === 'object' ? golden.problem.verifier.options : undefined;
    const options = parseVerifierOptions(verifier, { ...runOptions.options, ...problemOptions, ...golden.options }, where);
    const verdict = await runVerifier(verifier, golden.problem, golden.candidate, options, runOptions.timeoutMs);
    results.push({ where, ...(golden.name ? { name: golden.name } : {}), expected: golden.expected, verdict, passed: verdict.status === golden.expected });
  }
  const passed = results.filter((r) => r.passed).length;
  return { file: casesPath, results, summary: { total: results.length, passed, failed: results.length - passed } };
}
