/**
 * Conformance of the `numeric` verifier on public GSM8K data (read from ../shared/datasets/ beside
 * the checkout, never copied into the project):
 *  1. graded model solutions: agreement of `numeric` with the human-made `is_correct` labels;
 *  2. the test split: every reference solution must be judged correct against its own `#### N`.
 * Exits 1 when agreement is under the target, 0 (with a notice) when the data is absent.
 */
import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { Problem } from '../../src/schema/problem.ts';
import { parseVerifierOptions, runVerifier } from '../../src/verify/run.ts';
import { numeric } from '../../verifiers/numeric/index.ts';
import { readJsonlSync } from '../../src/store/jsonl.ts';

const TARGET_AGREEMENT = 0.995;
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const datasets = process.env.STARLOOP_DATASETS ?? resolve(repoRoot, '../shared/datasets');

const GradedRow = z.object({
  question: z.string(),
  gold_answer: z.string(),
  model: z.string(),
  solution: z.string(),
  is_correct: z.boolean(),
});
const TestRow = z.object({ question: z.string(), answer: z.string() });

function problem(id: string, question: string, answer: string): Problem {
  return { id, prompt: question, answer, meta: {} };
}

async function gradedSolutions(path: string): Promise<{ ok: boolean; line: string }> {
  const rows = readJsonlSync(path, GradedRow);
  const options = parseVerifierOptions(numeric, {});
  const disagreements: string[] = [];
  const byModel = new Map<string, { agree: number; total: number }>();
  for (const [index, row] of rows.entries()) {
    const verdict = await runVerifier(numeric, problem(`graded-${index + 1}`, row.question, row.gold_answer), row.solution, options);
    const agrees = (verdict.status === 'correct') === row.is_correct;
    const tally = byModel.get(row.model) ?? { agree: 0, total: 0 };
    tally.total++;
    if (agrees) tally.agree++;
    else {
      const ending = row.solution.trim().split('\n').slice(-1)[0].slice(0, 100);
      disagreements.push(`  line ${index + 1}: label ${row.is_correct}, numeric ${verdict.status} (${verdict.reason}); ends "${ending}"`);
    }
    byModel.set(row.model, tally);
  }
  const agreement = (rows.length - disagreements.length) / rows.length;
  console.log(`graded model solutions (${path}): ${rows.length} rows`);
  for (const [model, { agree, total }] of byModel) console.log(`  ${model}: ${agree}/${total} agree`);
  console.log(`  agreement with is_correct: ${(agreement * 100).toFixed(2)}% (target ≥ ${TARGET_AGREEMENT * 100}%)`);
  if (disagreements.length) console.log(`  disagreements (${disagreements.length}):\n${disagreements.join('\n')}`);
  return { ok: agreement >= TARGET_AGREEMENT, line: `graded agreement ${(agreement * 100).toFixed(2)}% of ${rows.length}` };
}

async function referenceSolutions(path: string): Promise<{ ok: boolean; line: string }> {
  const rows = readJsonlSync(path, TestRow);
  const options = parseVerifierOptions(numeric, {});
  const failures: string[] = [];
  for (const [index, row] of rows.entries()) {
    const verdict = await runVerifier(numeric, problem(`test-${index + 1}`, row.question, row.answer), row.answer, options);
    if (verdict.status !== 'correct') failures.push(`  line ${index + 1}: ${verdict.status} (${verdict.reason})`);
  }
  const rate = (rows.length - failures.length) / rows.length;
  console.log(`reference solutions judged against their own gold (${path}): ${rows.length - failures.length}/${rows.length} = ${(rate * 100).toFixed(2)}%`);
  if (failures.length) console.log(failures.join('\n'));
  return { ok: failures.length === 0, line: `reference solutions ${rows.length - failures.length}/${rows.length} correct` };
}

const graded = join(datasets, 'gsm8k-graded-model-solutions.jsonl');
const test = join(datasets, 'gsm8k-test.jsonl');
let ok = true;
const summary: string[] = [];
for (const [path, check] of [
  [graded, gradedSolutions],
  [test, referenceSolutions],
] as const) {
  if (!existsSync(path)) {
    console.log(`skipped: ${path} is absent (public GSM8K data is not shipped with starloop)`);
    summary.push(`${basename(path)} absent`);
    continue;
  }
  const result = await check(path);
  ok = result.ok && ok;
  summary.push(result.line);
}
console.log(`gsm8k ${ok ? 'PASS' : 'FAIL'}: ${summary.join('; ')}`);
process.exitCode = ok ? 0 : 1;
