/**
 * Sandboxed code verification throughput, all measured in one run on the same programs:
 *  - python-tests and js-tests on generated programs (half pass, half fail an assert), and
 *    python-tests on HumanEval's canonical solutions when ../shared/datasets (or
 *    $STARLOOP_DATASETS) has HumanEval.jsonl;
 *  - the pool (one long-lived sandbox per slot, a pre-imported zygote forks each task) against one
 *    bubblewrap start per task (one-shot);
 *  - tests in their own process (the default) against tests in the candidate's process
 *    (in-process: what the protocol between the two processes costs).
 * In flight at once: one task per CPU, as the sandbox has one slot per CPU. The load average is
 * printed before and after: on a shared machine, compare ratios, not absolute rates.
 *
 *   npm run bench:sandbox [-- --tasks 200 --js-tasks 60]
 */
import { existsSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { Problem } from '../../src/schema/problem.ts';
import { detectIsolation } from '../../src/sandbox/index.ts';
import { readJsonlSync } from '../../src/store/jsonl.ts';
import type { AnyVerifier } from '../../src/verify/define.ts';
import { parseVerifierOptions, runVerifier } from '../../src/verify/run.ts';
import { jsTests, pythonTests } from '../../verifiers/code-tests/index.ts';

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(name);
  const value = index > 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer`);
  return value;
}

const PY_TASKS = argument('--tasks', 200);
const JS_TASKS = argument('--js-tasks', 60);
const LANES = availableParallelism();
const WARMUP = 2 * LANES;
const datasets = process.env.STARLOOP_DATASETS ?? resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/datasets');

interface BenchTask {
  problem: Problem;
  candidate: string;
  expect: 'correct' | 'incorrect';
}

const squares = (n: number) => Array.from({ length: n }, (_, k) => k * k).reduce((a, b) => a + b, 0);

function pythonTask(i: number): BenchTask {
  return {
    problem: Problem.parse({ id: `py-${i}`, prompt: 'sum of squares', tests: `assert sum_squares(${i % 50}) == ${squares(i % 50)}` }),
    candidate: `\`\`\`python\ndef sum_squares(n):\n    return sum(k * k for k in range(n)) + ${i % 2}\n\`\`\``,
    expect: i % 2 === 0 ? 'correct' : 'incorrect',
  };
}

function jsTask(i: number): BenchTask {
  return {
    problem: Problem.parse({ id: `js-${i}`, prompt: 'sum of squares', tests: `assert.strictEqual(sumSquares(${i % 50}), ${squares(i % 50)});` }),
    candidate: `\`\`\`js\nfunction sumSquares(n) {\n  let s = ${i % 2};\n  for (let k = 0; k < n; k++) s += k * k;\n  return s;\n}\n\`\`\``,
    expect: i % 2 === 0 ? 'correct' : 'incorrect',
  };
}

const HumanEvalRow = z.object({ task_id: z.string(), prompt: z.string(), canonical_solution: z.string(), test: z.string(), entry_point: z.string() });

function humanEvalTasks(): BenchTask[] | undefined {
  const file = join(datasets, 'HumanEval.jsonl');
  if (!existsSync(file)) return undefined;
  return readJsonlSync(file, HumanEvalRow).map((row) => ({
    problem: Problem.parse({ id: row.task_id, prompt: row.prompt, tests: row.test, entryPoint: row.entry_point }),
    candidate: row.prompt + row.canonical_solution,
    expect: 'correct',
  }));
}

type Setting = { mode: 'pool' | 'one-shot'; testMode: 'separate-process' | 'in-process' };

/** Tasks per second over `tasks`, after a warm-up; every verdict must be the expected one. */
async function measure(verifier: AnyVerifier, setting: Setting, tasks: BenchTask[]): Promise<number> {
  const options = parseVerifierOptions(verifier, { ...setting, timeoutMs: 10_000 });
  const run = async (list: BenchTask[]) => {
    let next = 0;
    const lane = async () => {
      while (next < list.length) {
        const task = list[next++];
        const verdict = await runVerifier(verifier, task.problem, task.candidate, options);
        if (verdict.status !== task.expect) throw new Error(`${verifier.id} ${setting.mode} ${setting.testMode} ${task.problem.id}: expected ${task.expect}, got ${verdict.status}: ${verdict.reason.slice(0, 300)}`);
      }
    };
    await Promise.all(Array.from({ length: LANES }, lane));
  };
  await run(tasks.slice(0, WARMUP));
  const started = performance.now();
  await run(tasks);
  return tasks.length / ((performance.now() - started) / 1000);
}

const SETTINGS: Array<[string, Setting]> = [
  ['pool, separate-process', { mode: 'pool', testMode: 'separate-process' }],
  ['pool, in-process', { mode: 'pool', testMode: 'in-process' }],
  ['one-shot, separate-process', { mode: 'one-shot', testMode: 'separate-process' }],
];

async function suite(name: string, verifier: AnyVerifier, tasks: BenchTask[]): Promise<void> {
  const rates = new Map<string, number>();
  for (const [label, setting] of SETTINGS) rates.set(label, await measure(verifier, setting, tasks));
  const pool = rates.get('pool, separate-process') ?? 0;
  const parts = [...rates].map(([label, rate]) => `${label} ${rate.toFixed(1)}/s`);
  console.log(`${name.padEnd(26)} ${parts.join('   ')}`);
  console.log(
    `${''.padEnd(26)} pool vs one-shot ${(pool / (rates.get('one-shot, separate-process') ?? 1)).toFixed(2)}x   separate-process vs in-process (pool) ${(pool / (rates.get('pool, in-process') ?? 1)).toFixed(2)}x`,
  );
}

const isolation = await detectIsolation();
const load = () => loadavg().map((value) => value.toFixed(2)).join(' ');
console.log(`sandbox: ${isolation.level}${isolation.weakness ? ` (${isolation.weakness})` : ''}; ${LANES} CPUs, ${LANES} tasks in flight; load average ${load()} (1, 5, 15 min)`);
try {
  const humanEval = humanEvalTasks();
  if (humanEval) await suite(`HumanEval canonical (${humanEval.length})`, pythonTests, humanEval);
  else console.log(`HumanEval canonical: skipped (${join(datasets, 'HumanEval.jsonl')} not found)`);
  await suite(`python-tests (${PY_TASKS})`, pythonTests, Array.from({ length: PY_TASKS }, (_, i) => pythonTask(WARMUP + i)));
  await suite(`js-tests (${JS_TASKS})`, jsTests, Array.from({ length: JS_TASKS }, (_, i) => jsTask(WARMUP + i)));
} finally {
  await Promise.all([pythonTests.dispose?.(), jsTests.dispose?.()]);
  console.log(`load average after: ${load()}`);
}
