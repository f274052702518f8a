import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import type { RunConfig } from '../config/schema.ts';
import { ConfigError } from '../errors.ts';
import { createPolicy } from '../policy/create.ts';
import { applyDefaultVerifier, readProblemFile } from '../problems/load.ts';
import type { EvalStats } from '../schema/summary.ts';
import type { PolicyRef } from '../schema/training.ts';
import { RunStore } from '../store/run-store.ts';
import type { VerifierRegistry } from '../verify/registry.ts';
import { VerifierResolver } from '../verify/resolver.ts';
import { evaluatePolicy } from './evaluate.ts';
import type { EventSink } from './events.ts';
import { configCost, evalSamplingParams } from './params.ts';
import { renderPrompt } from './prompt.ts';

export interface EvaluationOptions {
  config: RunConfig;
  ref: PolicyRef;
  /** Directory whose round-0 files hold the samples and verdicts, so a re-run reuses them. */
  outDir: string;
  registry: VerifierRegistry;
  onEvent?: EventSink;
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
}

/** Evaluates one policy on the config's eval split, outside a STaR run. */
export async function runEvaluation(options: EvaluationOptions): Promise<EvalStats> {
  const { config } = options;
  if (!config.problems.eval) throw new ConfigError('the config has no problems.eval file to evaluate on');
  const file = await readProblemFile(config.problems.eval, { format: config.problems.format, split: 'eval', limit: config.problems.limit });
  applyDefaultVerifier(file, config.verifier);
  const { problems } = file;
  const resolver = new VerifierResolver(options.registry, config.verifier);
  resolver.checkAll(problems);
  const store = await RunStore.open(resolve(options.outDir));
  const policy = await createPolicy(config, options.ref, options.env);
  const session = randomUUID();
  const started = performance.now();
  try {
    const stats = await evaluatePolicy({
      policy, round: 0, problems, problemsById: new Map(problems.map((p) => [p.id, p])), k: config.eval.k,
      params: evalSamplingParams(config), render: (problem) => renderPrompt(config, problem), store, resolver,
      verifyConcurrency: 8, cost: configCost(config), signal: options.signal,
      reporter: {
        emit: options.onEvent ?? (() => {}),
        record: (round, stage, ms) => store.recordTiming(round, { stage, ms, session, elapsedMs: performance.now() - started, at: new Date().toISOString() }),
      },
    });
    return stats!;
  } finally {
    await policy.close?.();
    store.close();
    await options.registry.dispose();
  }
}
