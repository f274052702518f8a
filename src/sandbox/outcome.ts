import { z } from 'zod';
import type { Runtime } from './command.ts';
import type { IsolationLevel } from './isolation.ts';
import type { SandboxLimitsInput } from './limits.ts';

/**
 * `separate-process` (default): the candidate runs in one process and the tests in another; calls
 * and results cross as data and every comparison runs in the test process. `in-process` (weaker,
 * for tests that need the candidate's own objects: classes they subclass, callbacks): candidate
 * and tests share one process, so the candidate can reach its tests.
 */
export const TestMode = z.enum(['separate-process', 'in-process']);
export type TestMode = z.infer<typeof TestMode>;

/** One program and its tests, to run in the sandbox. */
export interface SandboxJob {
  runtime: Runtime;
  code: string;
  tests: string;
  /** HumanEval style: the tests define `check(candidate)`, called as `check(<entryPoint>)`. */
  entryPoint?: string;
  testMode?: TestMode;
  limits?: SandboxLimitsInput;
  /** Kills the run (and its whole process tree) when aborted. */
  signal?: AbortSignal;
}

export interface SandboxOutcome {
  /** Every test passed, and the candidate process then exited 0 on its own within the limits. */
  passed: boolean;
  testMode: TestMode;
  /** What the test process concluded, whatever the candidate process did afterwards. */
  testsPassed: boolean;
  /** Why the tests failed (the assertion, the candidate's exception), from the test process. */
  testFailure?: string;
  /** The candidate process: its exit status, or the signal that ended it (SIGRTMIN+n included). */
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  outputExceeded: boolean;
  /** The sandbox itself failed (crash, spawn failure): not the candidate's fault. */
  sandboxFailure?: string;
  stdout: string;
  stderr: string;
  durationMs: number;
  isolation: IsolationLevel;
}

/** One answer of the test process (judge.py) on the sandbox's stdout. */
export const SandboxReply = z.union([
  z
    .object({
      id: z.string(),
      started: z.boolean(),
      testsPassed: z.boolean(),
      failure: z.string().nullable(),
      testOutput: z.string(),
      exitCode: z.number().int().nullable(),
      signal: z.string().nullable(),
      timedOut: z.boolean(),
      outputExceeded: z.boolean(),
      durationMs: z.number(),
      stdout: z.string(),
      stderr: z.string(),
      setupError: z.string().optional(),
      tampered: z.boolean().optional(),
    })
    .strict(),
  z.object({ id: z.string().nullable(), sandboxError: z.string() }).strict(),
]);
export type SandboxReply = z.infer<typeof SandboxReply>;

const decodeBase64 = (text: string) => Buffer.from(text, 'base64').toString('utf8');

/**
 * The pass rule shared by both run modes: the test process saw every test pass, and the
 * candidate process exited 0 by itself before the limit (lingering timers, promise chains or
 * threads keep it alive past the limit). A run whose candidate never started (the harness did not
 * come up) says nothing about the candidate: that is a sandbox failure.
 */
export function outcomeFromReply(reply: Extract<SandboxReply, { started: boolean }>, testMode: TestMode, isolation: IsolationLevel): SandboxOutcome {
  const stderr = decodeBase64(reply.stderr);
  const notStarted =
    !reply.started && !reply.timedOut && !reply.outputExceeded
      ? `the sandboxed interpreter did not start${reply.setupError ? `: ${reply.setupError}` : failureDetail(reply.failure, stderr)}`
      : undefined;
  const sandboxFailure = reply.setupError ? `the sandbox could not start the task: ${reply.setupError}` : notStarted;
  return {
    passed: !sandboxFailure && reply.testsPassed && reply.exitCode === 0 && !reply.timedOut && !reply.outputExceeded,
    testMode,
    testsPassed: reply.testsPassed,
    ...(reply.failure ? { testFailure: reply.failure } : {}),
    exitCode: reply.exitCode,
    signal: reply.signal,
    timedOut: reply.timedOut,
    outputExceeded: reply.outputExceeded,
    ...(sandboxFailure ? { sandboxFailure } : {}),
    stdout: decodeBase64(reply.stdout),
    stderr,
    durationMs: reply.durationMs,
    isolation,
  };
}

function failureDetail(failure: string | null, stderr: string): string {
  const detail = [failure ?? '', stderr].join('\n').trim().split('\n').slice(-3).join(' | ').slice(0, 400);
  return detail ? `: ${detail}` : '';
}

export function failedOutcome(reason: string, testMode: TestMode, isolation: IsolationLevel, durationMs = 0): SandboxOutcome {
  return {
    passed: false,
    testMode,
    testsPassed: false,
    exitCode: null,
    signal: null,
    timedOut: false,
    outputExceeded: false,
    sandboxFailure: reason,
    stdout: '',
    stderr: '',
    durationMs,
    isolation,
  };
}
