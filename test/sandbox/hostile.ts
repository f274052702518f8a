import { afterAll, expect } from 'vitest';
import { type SandboxJob, type SandboxMode, type SandboxOutcome, createSandbox, detectIsolation } from '../../src/sandbox/index.ts';

/** Both run modes face every hostile input: the pool's shared worker must survive each one. */
export const MODES: SandboxMode[] = ['pool', 'one-shot'];

/** Short limits keep the hostile suite fast; the point is containment, not generosity. */
export const HOSTILE_LIMITS = { wallMs: 1_500, memoryMb: 256, maxOutputBytes: 64 * 1024 } as const;

const sandboxes = new Map<SandboxMode, ReturnType<typeof createSandbox>>();

export function sandboxFor(mode: SandboxMode) {
  let sandbox = sandboxes.get(mode);
  if (!sandbox) sandboxes.set(mode, (sandbox = createSandbox({ mode, slots: 2, strict: true })));
  return sandbox;
}

afterAll(async () => {
  await Promise.all([...sandboxes.values()].map((sandbox) => sandbox.dispose()));
  sandboxes.clear();
});

/** These tests are about bubblewrap's isolation; without it they must fail, not skip. */
export async function expectBubblewrap(): Promise<void> {
  const isolation = await detectIsolation();
  expect(isolation.level, isolation.weakness).toBe('bwrap');
}

export function runPython(mode: SandboxMode, code: string, tests = 'pass', limits = {}): Promise<SandboxOutcome> {
  return sandboxFor(mode).run({ runtime: 'python', code, tests, limits: { ...HOSTILE_LIMITS, ...limits } });
}

export function runNode(mode: SandboxMode, code: string, tests = '', limits = {}): Promise<SandboxOutcome> {
  return sandboxFor(mode).run({ runtime: 'node', code, tests, limits: { ...HOSTILE_LIMITS, ...limits } });
}

/** After a hostile job the same sandbox must still verify an honest program, promptly. */
export async function expectNextTaskUnaffected(mode: SandboxMode, job: Partial<SandboxJob> = {}): Promise<void> {
  const honest: SandboxJob = {
    runtime: 'python',
    code: 'def add(a, b):\n    return a + b\n',
    tests: 'assert add(2, 3) == 5',
    limits: HOSTILE_LIMITS,
    ...job,
  };
  const outcome = await sandboxFor(mode).run(honest);
  expect(outcome.sandboxFailure).toBeUndefined();
  expect(outcome.passed, outcome.stderr).toBe(true);
  expect(outcome.durationMs).toBeLessThan(2_000);
}
