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

/** The pass rule shared by both run modes: exit 0 alone proves nothing (os._exit(0) before the tests). */
export function hasPassed(exitCode: number | null, echo: string, nonce: string): boolean {
  return exitCode === 0 && echo === `${nonce}\n`;
}
