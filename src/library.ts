import { resolveConfig } from './config/load.ts';
import type { RunConfig } from './config/schema.ts';
import { runLoop as runPipeline, type RunOptions, type RunResult } from './pipeline/run-loop.ts';
import { runEvaluation, type EvaluationOptions } from './pipeline/run-eval.ts';
import type { EvalStats } from './schema/summary.ts';
import { loadVerifierPlugin } from './verify/plugin.ts';
import type { VerifierRegistry } from './verify/registry.ts';
import { createVerifierRegistry } from '../verifiers/index.ts';

/**
 * The public entry point's conveniences over the pipeline: verifiers default to the built-ins plus
 * the config's plug-ins, and configs may be given as plain objects.
 */

/** The built-in verifiers plus the config's plug-in modules (`verifiers: [...]`). */
export async function loadVerifierRegistry(config: Pick<RunConfig, 'verifiers'>, baseDir = process.cwd()): Promise<VerifierRegistry> {
  const plugins = [];
  for (const path of config.verifiers) plugins.push(await loadVerifierPlugin(path, baseDir));
  return createVerifierRegistry(plugins);
}

/**
 * A run config from a plain object (what a YAML file holds): defaults filled in, relative paths
 * made absolute against `baseDir`. Throws a ConfigError naming each bad key.
 */
export function parseConfig(raw: unknown, options: { baseDir?: string; source?: string } = {}): RunConfig {
  return resolveConfig(raw, options.baseDir ?? process.cwd(), options.source ?? 'config');
}

export interface RunLoopOptions extends Omit<RunOptions, 'registry'> {
  /** Verifiers to judge with; by default the built-ins plus the config's plug-ins. */
  registry?: VerifierRegistry;
}

/**
 * Runs the STaR loop into `runDir` and returns every round's summary. Progress arrives through
 * `onEvent`; a Policy or Trainer object of your own replaces the config's (see RunOptions).
 */
export async function runLoop(options: RunLoopOptions): Promise<RunResult> {
  return runPipeline({ ...options, registry: options.registry ?? (await loadVerifierRegistry(options.config)) });
}

export interface EvaluateOptions extends Omit<EvaluationOptions, 'registry'> {
  registry?: VerifierRegistry;
}

/** Evaluates one policy on the config's eval split, keeping its samples and verdicts in `outDir`. */
export async function evaluate(options: EvaluateOptions): Promise<EvalStats> {
  return runEvaluation({ ...options, registry: options.registry ?? (await loadVerifierRegistry(options.config)) });
}
