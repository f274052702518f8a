/**
 * Sandboxed code verification throughput: python-tests and js-tests tasks per second through
 * `runVerifier`, with the pre-forked worker pool against one bubblewrap start per task, both
 * measured in the same run on the same generated programs (half pass, half fail an assert).
 * In flight at once: one task per CPU, as the sandbox has one slot per CPU.
 *
 *   npm run bench:sandbox [-- --tasks 400]
 */
import { availableParallelism } from 'node:os';
import { Problem } from '../../src/schema/problem.ts';
import { detectIsolation } from '../../src/sandbox/index.ts';
import type { AnyVerifier } from '../../src/verify/define.ts';
import { parseVerifierOptions, runVerifier } from '../../src/verify/run.ts';
import { jsTests, pythonTests } from '../../verifiers/code-tests/index.ts';

const tasksArg = process.argv.indexOf('--tasks');
const TASKS = tasksArg > 0 ? Number(process.argv[tasksArg + 1]) : 400;
if (!Number.isInteger(TASKS) || TASKS <= 0) throw new Error('--tasks must be a positive integer');
const WARMUP = 2 * availableParallelism();

interface BenchTask {
  problem: Problem;
  candidate: string;
}

function pythonTask(i: number): BenchTask {
  const offset = i % 2 === 0 ? 0 : 1;
  return {
    problem: Problem.parse({ id: `py-${i}`, prompt: 'sum of squares', tests: `assert sum_squares(${i % 50}) == ${Array.from({ length: i % 50 }, (_, k) => k * k).reduce((a, b) => a + b, 0)}` }),
    candidate: `\`\`\`python\ndef sum_squares(n):\n    return sum(k * k for k in range(n)) + ${offset}\n\`\`\``,
  };
}

function jsTask(i: number): BenchTask {
  const offset = i % 2 === 0 ? 0 : 1;
  return {
    problem: Problem.parse({
      id: `js-${i}`,
      prompt: 'sum of squares',
      tests: `assert.strictEqual(sumSquares(${i % 50}), ${Array.from({ length: i % 50 }, (_, k) => k * k).reduce((a, b) => a + b, 0)});`,
    }),
    candidate: `\`\`\`js\nfunction sumSquares(n) {\n  let s = ${offset};\n  for (let k = 0; k < n; k++) s += k * k;\n  return s;\n}\n\`\`\``,
  };
}

async function measure(verifier: AnyVerifier, mode: 'pool' | 'one-shot', make: (i: number) => BenchTask): Promise<number> {
  const options = parseVerifierOptions(verifier, { mode, timeoutMs: 5_000 });
  const run = async (count: number, offset: number) => {
    let next = 0;
    let correct = 0;
    const lane = async () => {
      while (next < count) {
        const task = make(offset + next++);
        const verdict = await runVerifier(verifier, task.problem, task.candidate, options);
        if (verdict.status === 'error') throw new Error(`${verifier.id} ${mode}: ${verdict.reason}`);
        if (verdict.status === 'correct') correct++;
      }
    };
    await Promise.all(Array.from({ length: availableParallelism() }, lane));
    return correct;
  };
  await run(WARMUP, 0);
  const started = performance.now();
  const correct = await run(TASKS, WARMUP);
  const seconds = (performance.now() - started) / 1000;
  const expected = Math.ceil(TASKS / 2);
  if (Math.abs(correct - expected) > 1) throw new Error(`${verifier.id} ${mode}: ${correct} correct of ${TASKS}, expected ${expected}`);
  return TASKS / seconds;
}

const isolation = await detectIsolation();
console.log(`sandbox: ${isolation.level}${isolation.weakness ? ` (${isolation.weakness})` : ''}; ${availableParallelism()} CPUs; ${TASKS} tasks per measurement after ${WARMUP} warm-up`);
try {
  for (const [verifier, make] of [
    [pythonTests, pythonTask],
    [jsTests, jsTask],
  ] as const) {
    const pool = await measure(verifier, 'pool', make);
    const oneShot = await measure(verifier, 'one-shot', make);
    console.log(`${verifier.id.padEnd(13)} pool ${pool.toFixed(1).padStart(7)} tasks/s   one-shot ${oneShot.toFixed(1).padStart(7)} tasks/s   ratio ${(pool / oneShot).toFixed(2)}x`);
  }
} finally {
  await Promise.all([pythonTests.dispose?.(), jsTests.dispose?.()]);
}
