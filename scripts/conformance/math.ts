/**
 * Conformance of the `math` verifier with public answer-equivalence tables, other checkers' own
 * test suites (peer-suites/), MATH-500, and the near-miss mutation suite.
 *
 *   npm run conformance:math [-- --quiet]
 *
 * Reads ../shared/datasets/ beside the checkout, or STARLOOP_DATASETS (never copied into the
 * project). Each case's `config` (and the numeric tolerance its checker states) is mapped to the
 * verifier's options. Fails when agreement on the equivalence cases drops below 99% or a near miss
 * is accepted.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { judgeMath } from '../../verifiers/math/judge.ts';
import { MathOptions } from '../../verifiers/math/options.ts';
import { readJsonlSync } from '../../src/store/jsonl.ts';
import { runNearMissSuite } from './math/near-miss.ts';
import { runPeerSuites } from './math/peer-suites.ts';

const datasets = process.env.STARLOOP_DATASETS ? `${process.env.STARLOOP_DATASETS.replace(/\/$/, '')}/` : fileURLToPath(new URL('../../../shared/datasets/', import.meta.url));
const quiet = process.argv.includes('--quiet');

const Case = z.object({
  gold: z.string(),
  pred: z.string(),
  equal: z.boolean(),
  source: z.string(),
  checker: z.string().default(''),
  config: z.record(z.string(), z.unknown()).default({}),
  category: z.string(),
  note: z.string().optional(),
});
type Case = z.infer<typeof Case>;

const MathRow = z.object({ problem: z.string(), solution: z.string(), answer: z.string() });

/** The options a case was asserted under, in this verifier's terms. */
function optionsFor(row: Case): MathOptions {
  const config = row.config;
  const matchTypes = (config.match_types ?? config.match_type) as string[] | undefined;
  const relativeTolerance = /rel_tol\s*=\s*([\d.e-]+)/.exec(row.checker)?.[1];
  return MathOptions.parse({
    ...(typeof config.precision === 'number' ? { precision: config.precision } : {}),
    ...(config.allow_set_relation_comp === false ? { setRelations: false } : {}),
    // Without the `expr` target only LaTeX answers are extracted, never a bare number in prose.
    ...(matchTypes && !matchTypes.includes('expr') && !matchTypes.includes('NativeLetters') ? { plainNumbers: false } : {}),
    ...(relativeTolerance ? { relativeTolerance: Number(relativeTolerance) } : {}),
    // Hendrycks' checker compares lists as written: order matters.
    ...(row.source.startsWith('hendrycks/') ? { lists: 'ordered' } : {}),
  });
}

function percent(part: number, whole: number): string {
  return whole === 0 ? 'n/a' : `${((100 * part) / whole).toFixed(1)}% (${part}/${whole})`;
}

function clip(text: string, length = 90): string {
  const flat = JSON.stringify(text);
  return flat.length > length ? `${flat.slice(0, length - 20)}…${flat.slice(-19)}` : flat;
}

const Crosscheck = z.object({ case_index: z.number().int().nonnegative(), equal: z.boolean() }).catchall(z.unknown());
const GradedSolution = z.object({ gold_answer: z.string(), solution: z.string(), is_correct: z.boolean() });

/** The reference checkers' agreement with `equal` on the same rows, beside this verifier's. */
function runCrosscheck(file: string, verdicts: Map<number, boolean>): void {
  const rows = readJsonlSync(file, Crosscheck);
  const checkers = Object.keys(rows[0] ?? {}).filter((key) => typeof rows[0][key] === 'boolean' && key !== 'equal');
  console.log(`\n${file}: agreement with 'equal' on ${rows.length} non-multiple-choice cases`);
  for (const checker of checkers) {
    const agree = rows.filter((row) => row[checker] === row.equal).length;
    console.log(`  ${checker.padEnd(22)} ${percent(agree, rows.length)}`);
  }
  const ours = rows.filter((row) => verdicts.get(row.case_index) === row.equal).length;
  console.log(`  ${'starloop math'.padEnd(22)} ${percent(ours, rows.length)}`);
}

/** Real model solutions to GSM8K, graded by numeric equality of their final line. */
function runGraded(file: string): void {
  const rows = readJsonlSync(file, GradedSolution);
  const options = MathOptions.parse({});
  const agree = rows.filter((row) => (judgeMath(row.gold_answer, row.solution, options).status === 'correct') === row.is_correct).length;
  console.log(`\n${file}: agreement with the graders' labels: ${percent(agree, rows.length)}`);
}

const REQUIRED_AGREEMENT = 0.99;

function runCases(file: string): { verdicts: Map<number, boolean>; agreement: number } {
  const rows = readJsonlSync(file, Case);
  const verdicts = new Map<number, boolean>();
  const tally = new Map<string, { agree: number; total: number; agreeNoNote: number; totalNoNote: number }>();
  const disagreements: string[] = [];
  for (const [index, row] of rows.entries()) {
    const verdict = judgeMath(row.gold, row.pred, optionsFor(row));
    const got = verdict.status === 'correct';
    verdicts.set(index, got);
    const agree = got === row.equal;
    for (const key of [row.category, 'overall']) {
      const entry = tally.get(key) ?? { agree: 0, total: 0, agreeNoNote: 0, totalNoNote: 0 };
      entry.total++;
      if (agree) entry.agree++;
      if (!row.note) {
        entry.totalNoNote++;
        if (agree) entry.agreeNoNote++;
      }
      tally.set(key, entry);
    }
    if (!agree) {
      disagreements.push(
        `  [${row.category}${row.note ? ', note' : ''}] gold=${clip(row.gold)} pred=${clip(row.pred)}\n` +
          `      expected=${row.equal} got=${verdict.status}: ${verdict.reason}`,
      );
    }
  }
  console.log(`\n${file}: ${rows.length} cases`);
  console.log('  category            all rows                rows without note');
  for (const [key, entry] of tally) {
    console.log(`  ${key.padEnd(18)}  ${percent(entry.agree, entry.total).padEnd(22)}  ${percent(entry.agreeNoNote, entry.totalNoNote)}`);
  }
  console.log(`\ndisagreements (${disagreements.length}):`);
  if (!quiet || disagreements.length <= 40) for (const line of disagreements) console.log(line);
  return { verdicts, agreement: rows.length === 0 ? 1 : (rows.length - disagreements.length) / rows.length };
}

/** A different answer from another problem, so the mutated solution is certainly wrong. */
function mutate(solution: string, answer: string, replacement: string): string | undefined {
  const at = solution.lastIndexOf(`\\boxed{${answer}}`);
  if (at === -1) return undefined;
  return `${solution.slice(0, at)}\\boxed{${replacement}}${solution.slice(at + answer.length + 8)}`;
}

function runMath500(file: string): void {
  const rows = readJsonlSync(file, MathRow);
  const options = MathOptions.parse({});
  let correct = 0;
  let mutatedTotal = 0;
  let mutatedRejected = 0;
  const failures: string[] = [];
  const started = performance.now();
  rows.forEach((row, index) => {
    const verdict = judgeMath(row.answer, row.solution, options);
    if (verdict.status === 'correct') correct++;
    else failures.push(`  solution #${index} answer=${clip(row.answer)} got=${verdict.status}: ${verdict.reason}`);
    const other = /^-?\d+$/.test(row.answer.trim()) ? String(Number(row.answer.trim()) + 1) : rows[(index + 1) % rows.length].answer;
    const mutated = other.trim() === row.answer.trim() ? undefined : mutate(row.solution, row.answer, other);
    if (mutated) {
      mutatedTotal++;
      const judged = judgeMath(row.answer, mutated, options);
      if (judged.status !== 'correct') mutatedRejected++;
      else failures.push(`  mutated #${index} answer=${clip(row.answer)} replaced by ${clip(other)} judged correct: ${judged.reason}`);
    }
  });
  // Falsification: solutions judged against other problems' golds. Only genuinely equivalent
  // answers (`x=5` and `5`, `30^\circ` and `30`) may be accepted; every acceptance is listed.
  let crossTotal = 0;
  const crossAccepted: string[] = [];
  rows.forEach((row, index) => {
    for (let step = 1; step < rows.length; step += 7) {
      const other = rows[(index + step) % rows.length];
      if (other.answer.replace(/\s/g, '') === row.answer.replace(/\s/g, '')) continue;
      crossTotal++;
      if (judgeMath(other.answer, row.solution, options).status === 'correct') crossAccepted.push(`  accepted: solution with answer ${clip(row.answer, 40)} for gold ${clip(other.answer, 40)}`);
    }
  });
  const seconds = (performance.now() - started) / 1000;
  console.log(`\n${file}: ${rows.length} problems (${seconds.toFixed(1)} s)`);
  console.log(`  own solution judged correct:  ${percent(correct, rows.length)}`);
  console.log(`  mutated answer rejected:      ${percent(mutatedRejected, mutatedTotal)}`);
  for (const line of failures) console.log(line);
  console.log(`  cross pairs (a solution vs another problem's gold, different text): ${crossTotal}, accepted ${crossAccepted.length}`);
  for (const line of [...new Set(crossAccepted)]) console.log(line);
}

const casesFile = `${datasets}math-equivalence-cases.jsonl`;
const crosscheckFile = `${datasets}math-equivalence-crosscheck.jsonl`;
const math500File = `${datasets}math-test.jsonl`;
const gradedFile = `${datasets}gsm8k-graded-model-solutions.jsonl`;
const peerSuites = `${datasets}peer-suites`;
if (![casesFile, math500File, gradedFile, peerSuites].some((file) => existsSync(file))) {
  console.log(`conformance:math: the public datasets are not present at ${datasets}; only the rule tables' near misses are checked (expected outside the starloop workspace).`);
  const nearMiss = runNearMissSuite(datasets);
  console.log(`math ${nearMiss.falseAccepts === 0 ? 'PASS' : 'FAIL'}: near misses ${nearMiss.mutations}, false accepts ${nearMiss.falseAccepts}`);
  process.exit(nearMiss.falseAccepts === 0 ? 0 : 1);
}
const absent = (file: string) => console.log(`conformance:math: ${file} is absent; skipping it.`);
const failures: string[] = [];
const summary: string[] = [];
if (existsSync(casesFile)) {
  const { verdicts, agreement } = runCases(casesFile);
  summary.push(`equivalence cases ${(100 * agreement).toFixed(1)}%`);
  if (agreement < REQUIRED_AGREEMENT) failures.push(`agreement on the equivalence cases ${(100 * agreement).toFixed(1)}% < ${100 * REQUIRED_AGREEMENT}%`);
  if (existsSync(crosscheckFile)) runCrosscheck(crosscheckFile, verdicts);
  else absent(crosscheckFile);
} else absent(casesFile);
if (existsSync(peerSuites)) {
  const suites = runPeerSuites(peerSuites, quiet);
  summary.push(`peer suites ${suites.map((suite) => `${suite.suite} ${((100 * suite.agree) / Math.max(1, suite.total)).toFixed(0)}%`).join(' ')}`);
} else absent(peerSuites);
if (existsSync(math500File)) runMath500(math500File);
else absent(math500File);
if (existsSync(gradedFile)) runGraded(gradedFile);
else absent(gradedFile);
const nearMiss = runNearMissSuite(datasets);
summary.push(`near misses ${nearMiss.mutations}, false accepts ${nearMiss.falseAccepts}`);
if (nearMiss.falseAccepts > 0) failures.push(`${nearMiss.falseAccepts} near misses accepted`);
console.log(`\nmath ${failures.length === 0 ? 'PASS' : `FAIL (${failures.join('; ')})`}: ${summary.join('; ')}`);
process.exitCode = failures.length === 0 ? 0 : 1;
