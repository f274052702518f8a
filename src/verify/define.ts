import type { z } from 'zod';
import type { Problem } from '../schema/problem.ts';
import type { VerdictStatus } from '../schema/verdict.ts';

export interface VerifyContext {
  /** Aborted when the call's time limit passes; long work should stop when it fires. */
  signal: AbortSignal;
  timeoutMs: number;
}

/** What a verifier returns; the runner adds timing and fills `score` from `status` when absent. */
export interface VerdictResult {
  status: VerdictStatus;
  score?: number;
  reason: string;
  extracted?: string;
}

export interface VerifierDefinition<Options extends z.ZodType = z.ZodType> {
  /** Registry id, e.g. `numeric`; lowercase, dash-separated. */
  id: string;
  description: string;
  /** Recorded in the run manifest so verdicts can be traced to verifier behaviour. */
  version: string;
  /** Options schema; config options and per-problem options are merged and parsed by it. */
  options: Options;
  /** Default time limit of one call. */
  timeoutMs?: number;
  verify(
    problem: Problem,
    candidate: string,
    options: z.output<Options>,
    context: VerifyContext,
  ): VerdictResult | Promise<VerdictResult>;
  /**
   * Prepares what every call needs (loads libraries, probes the sandbox) before the first call, so
   * that no call's time limit pays for it. Called once per run for the verifiers in use, before
   * sampling; a plug-in's runs in its worker before the plug-in counts as loaded.
   */
  warmUp?(): Promise<void>;
  /** Releases shared resources (sandbox workers); called once when a run ends. */
  dispose?(): Promise<void>;
}

/** Identity function that gives plug-in authors type inference on `options`. */
export function defineVerifier<Options extends z.ZodType>(definition: VerifierDefinition<Options>): VerifierDefinition<Options> {
  return definition;
}

export type AnyVerifier = VerifierDefinition<z.ZodType>;
