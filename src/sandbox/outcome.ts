import type { Runtime } from './command.ts';
import type { IsolationLevel } from './isolation.ts';
import type { SandboxLimitsInput } from './limits.ts';

/** One program and its tests, to run in the sandbox. */
export interface SandboxJob {
  runtime: Runtime;
  code: string;
  tests: string;
  /** HumanEval style: the tests define `check(candidate)`, called as `check(<entryPoint>)`. */
  entryPoint?: string;
  limits?: SandboxLimitsInput;
  /** Kills the run (and its whole process tree) when aborted. */
  signal?: AbortSignal;
}

export interface SandboxOutcome {
  /** Every test ran: the harness echoed this run's nonce and the process exited 0. */
  passed: boolean;
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  outputExceeded: boolean;
  /** The sandbox itself failed (worker crash, spawn failure): not the candidate's fault. */
  sandboxFailure?: string;
  stdout: string;
  stderr: string;
  durationMs: number;
  isolation: IsolationLevel;
}

/** The harness writes this on its signal channel before any candidate code runs. */
export const STARTED_MARKER = 'started\n';

/** The pass rule shared by both run modes: exit 0 alone proves nothing (os._exit(0) before the tests). */
export function hasPassed(exitCode: number | null, echo: string, nonce: string): boolean {
  return exitCode === 0 && echo === `${STARTED_MARKER}${nonce}\n`;
}

/** A run that ended on its own without the harness ever starting failed to launch: not the candidate's fault. */
export function launchFailure(echo: string, timedOut: boolean, outputExceeded: boolean, stderr: string): string | undefined {
  if (timedOut || outputExceeded || echo.startsWith(STARTED_MARKER)) return undefined;
  const detail = stderr.trim().split('\n').slice(-3).join(' | ').slice(0, 400);
  return `the sandboxed interpreter did not start${detail ? `: ${detail}` : ''}`;
}
