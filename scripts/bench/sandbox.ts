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
import { existsSync, readdirSync, readFileSync } from 'node:fs';
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

/** CPU time (user + system, ms) and minor faults of every process, with its parent: sandbox processes are Python, their task processes reaped children. */
type ProcessTimes = Map<number, { ppid: number; python: boolean; cpuMs: number; faults: number; childCpuMs: number; childFaults: number }>;
function processTimes(): ProcessTimes {
  const tick = 10; // ms per clock tick (USER_HZ 100)
  const times: ProcessTimes = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const field = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
      const python = /python3/.test(readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0')[0]);
      times.set(Number(name), { ppid: field[1], python, faults: field[7], childFaults: field[8], cpuMs: (field[11] + field[12]) * tick, childCpuMs: (field[13] + field[14]) * tick });
    } catch {
      // A process that ended between the listing and the read.
    }
  }
  return times;
}

/**
 * Where a pool task's CPU time goes, per task: this process (the host side), the sandboxes' test
 * processes (judge.py, PID 1), their zygotes (PID 2, a Python process whose parent is Python) and
 * the task processes the zygotes forked and reaped (the candidates), with their page faults.
 */
async function poolBreakdown(tasks: BenchTask[]): Promise<void> {
  const options = parseVerifierOptions(pythonTests, { mode: 'pool', testMode: 'separate-process', timeoutMs: 10_000 });
  const run = async (list: BenchTask[]) => {
    let next = 0;
    await Promise.all(Array.from({ length: LANES }, async () => {
      while (next < list.length) {
        const task = list[next++];
        await runVerifier(pythonTests, task.problem, task.candidate, options);
      }
    }));
  };
  await run(tasks.slice(0, WARMUP));
  const before = processTimes();
  const host = process.cpuUsage();
  const started = performance.now();
  await run(tasks);
  const seconds = (performance.now() - started) / 1000;
  const hostMs = (process.cpuUsage(host).user + process.cpuUsage(host).system) / 1000;
  const after = processTimes();
  const sums = { judge: 0, zygote: 0, candidates: 0, candidateFaults: 0, zygoteFaults: 0 };
  for (const [pid, now] of after) {
    if (!now.python) continue;
    const was = before.get(pid);
    if (!was) continue;
    if (after.get(now.ppid)?.python) {
      sums.zygote += now.cpuMs - was.cpuMs;
      sums.zygoteFaults += now.faults - was.faults;
      sums.candidates += now.childCpuMs - was.childCpuMs;
      sums.candidateFaults += now.childFaults - was.childFaults;
    } else sums.judge += now.cpuMs - was.cpuMs;
  }
  const per = (value: number) => (value / tasks.length).toFixed(1);
  const total = hostMs + sums.judge + sums.zygote + sums.candidates;
  console.log(
    `HumanEval pool, CPU per task: ${per(total)} ms (${(tasks.length / seconds).toFixed(1)}/s): host ${per(hostMs)}, test processes ${per(sums.judge)}, ` +
      `zygotes ${per(sums.zygote)} (${per(sums.zygoteFaults)} faults), candidates ${per(sums.candidates)} ms (${per(sums.candidateFaults)} page faults)`,
  );
}

const isolation = await detectIsolation();
const load = () => loadavg().map((value) => value.toFixed(2)).join(' ');
console.log(`sandbox: ${isolation.level}${isolation.weakness ? ` (${isolation.weakness})` : ''}; ${LANES} CPUs, ${LANES} tasks in flight; load average ${load()} (1, 5, 15 min)`);
try {
  const humanEval = humanEvalTasks();
  if (humanEval) {
    await suite(`HumanEval canonical (${humanEval.length})`, pythonTests, humanEval);
    await poolBreakdown([...humanEval, ...humanEval]);
  }
  else console.log(`HumanEval canonical: skipped (${join(datasets, 'HumanEval.jsonl')} not found)`);
  await suite(`python-tests (${PY_TASKS})`, pythonTests, Array.from({ length: PY_TASKS }, (_, i) => pythonTask(WARMUP + i)));
  await suite(`js-tests (${JS_TASKS})`, jsTests, Array.from({ length: JS_TASKS }, (_, i) => jsTask(WARMUP + i)));
} finally {
  await Promise.all([pythonTests.dispose?.(), jsTests.dispose?.()]);
  console.log(`load average after: ${load()}`);
}
