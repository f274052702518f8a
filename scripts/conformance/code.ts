/**
 * Conformance of `python-tests` (and the sandbox under it) on public code benchmarks, read from
 * ../shared/datasets/ beside the checkout (or $STARLOOP_DATASETS), never copied into the project:
 *  1. HumanEval: every canonical solution (prompt + canonical_solution) must pass its check();
 *  2. HumanEval mutated: the same prompt with the body replaced by `return None` must fail;
 *  3. HumanEval completion-style: the canonical body alone (the verifier prepends the prompt) must pass;
 *  4. MBPP sanitized: every reference program must pass its asserts.
 * Prints counts, tasks/s and every failure. Exits 1 on any miss, 0 (with a notice) when the data is absent.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { Problem } from '../../src/schema/problem.ts';
import type { Verdict } from '../../src/schema/verdict.ts';
import { parseVerifierOptions, runVerifier } from '../../src/verify/run.ts';
import { pythonTests } from '../../verifiers/code-tests/index.ts';
import { readJsonlSync } from '../../src/store/jsonl.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const datasets = process.env.STARLOOP_DATASETS ?? resolve(repoRoot, '../shared/datasets');

const HumanEvalRow = z.object({ task_id: z.string(), prompt: z.string(), canonical_solution: z.string(), test: z.string(), entry_point: z.string() });
const MbppRow = z.object({ task_id: z.number(), code: z.string(), test_imports: z.array(z.string()), test_list: z.array(z.string()) });

interface Task {
  problem: Problem;
  candidate: string;
  expect: 'correct' | 'incorrect';
}

const options = parseVerifierOptions(pythonTests, { timeoutMs: 10_000 });

/** Runs tasks with as many in flight as the sandbox has slots; returns the misses and the rate. */
async function runSuite(name: string, tasks: Task[]): Promise<{ ok: boolean; line: string }> {
  const misses: string[] = [];
  const started = performance.now();
  let next = 0;
  const verdicts: Verdict[] = [];
  const lane = async () => {
    while (next < tasks.length) {
      const task = tasks[next++];
      const verdict = await runVerifier(pythonTests, task.problem, task.candidate, options);
      verdicts.push(verdict);
      if (verdict.status !== task.expect) {
        misses.push(`  ${task.problem.id}: expected ${task.expect}, got ${verdict.status}: ${verdict.reason.split('\n').slice(-2).join(' | ').slice(0, 200)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: availableParallelism() }, lane));
  const seconds = (performance.now() - started) / 1000;
  const good = tasks.length - misses.length;
  const line = `${name}: ${good}/${tasks.length} judged ${tasks[0]?.expect ?? ''} as expected, ${(tasks.length / seconds).toFixed(1)} tasks/s (${seconds.toFixed(1)} s)`;
  console.log(line);
  for (const miss of misses) console.log(miss);
  return { ok: misses.length === 0, line };
}

type HumanEvalVariant = 'canonical' | 'mutated' | 'completion';

/** `completion`: the answer is the body alone, as a base model continuing the prompt gives it. */
function humanEvalTasks(variant: HumanEvalVariant): Task[] {
  return readJsonlSync(join(datasets, 'HumanEval.jsonl'), HumanEvalRow).map((row) => ({
    problem: Problem.parse({ id: `${row.task_id} (${variant})`, prompt: row.prompt, tests: row.test, entryPoint: row.entry_point }),
    candidate: variant === 'completion' ? row.canonical_solution : row.prompt + (variant === 'mutated' ? '    return None\n' : row.canonical_solution),
    expect: variant === 'mutated' ? 'incorrect' : 'correct',
  }));
}

/**
 * MBPP names no entry point; the function under test is the reference's function the asserts
 * call. Naming it matters where it shadows a builtin (MBPP/126 defines `sum`): the test process
 * never lets any other candidate name replace a builtin the tests use.
 */
function mbppEntryPoint(row: z.infer<typeof MbppRow>): string | undefined {
  const defined = [...row.code.matchAll(/^def\s+(\w+)\s*\(/gm)].map((match) => match[1]);
  return defined.find((name) => row.test_list.some((line) => new RegExp(`\\b${name}\\s*\\(`).test(line)));
}

function mbppTasks(): Task[] {
  return readJsonlSync(join(datasets, 'mbpp-sanitized.jsonl'), MbppRow).map((row) => ({
    problem: Problem.parse({
      id: `MBPP/${row.task_id}`,
      prompt: `MBPP ${row.task_id}`,
      tests: [...row.test_imports, ...row.test_list].join('\n'),
      entryPoint: mbppEntryPoint(row),
    }),
    candidate: row.code,
    expect: 'correct',
  }));
}

async function main(): Promise<number> {
  const files = ['HumanEval.jsonl', 'mbpp-sanitized.jsonl'].map((file) => join(datasets, file));
  const missing = files.filter((file) => !existsSync(file));
  if (missing.length) {
    console.log(`code conformance skipped: ${missing.join(', ')} not found (the public datasets live in ../shared/datasets/ beside the checkout)`);
    return 0;
  }
  try {
    const results = [
      await runSuite('HumanEval canonical', humanEvalTasks('canonical')),
      await runSuite('HumanEval mutated (return None)', humanEvalTasks('mutated')),
      await runSuite('HumanEval completion-style (body only)', humanEvalTasks('completion')),
      await runSuite('MBPP sanitized reference', mbppTasks()),
    ];
    const ok = results.every((result) => result.ok);
    console.log(`code conformance: ${ok ? 'PASS' : 'FAIL'}`);
    return ok ? 0 : 1;
  } finally {
    await pythonTests.dispose?.();
  }
}

process.exitCode = await main();
