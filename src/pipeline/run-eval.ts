import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import type { RunConfig } from '../config/schema.ts';
import { ConfigError, VerifierFailedError } from '../errors.ts';
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
import { rejudgeErrors } from './rejudge.ts';

export interface EvaluationOptions {
  config: RunConfig;
  ref: PolicyRef;
  /** Directory whose round-0 files hold the samples and verdicts, so a re-run reuses them. */
  outDir: string;
  registry: VerifierRegistry;
  onEvent?: EventSink;
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
  /** Judge the stored `error` verdicts of an earlier evaluation in `outDir` again first. */
  rejudge?: 'errors';
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
  await resolver.warmUp();
  const store = await RunStore.open(resolve(options.outDir));
  const policy = await createPolicy(config, options.ref, options.env);
  const session = randomUUID();
  const started = performance.now();
  const problemsById = new Map(problems.map((p) => [p.id, p]));
  const emit = options.onEvent ?? (() => {});
  try {
    if (options.rejudge === 'errors') {
      await rejudgeErrors({ store, trainProblems: [], evalProblems: problems, problemsById, resolver, concurrency: 8, emit, phases: ['eval'], rounds: [0], resuming: true });
    }
    const stats = await evaluatePolicy({
      policy, round: 0, problems, problemsById, k: config.eval.k,
      params: evalSamplingParams(config), render: (problem) => renderPrompt(config, problem), store, resolver,
      verifyConcurrency: 8, cost: configCost(config), signal: options.signal,
      reporter: {
        emit,
        record: (round, stage, ms) => store.recordTiming(round, { stage, ms, session, elapsedMs: performance.now() - started, at: new Date().toISOString() }),
      },
    });
    return stats!;
  } catch (error) {
    if (error instanceof VerifierFailedError) {
      throw new VerifierFailedError(`${error.message} in ${store.layout.dir}; fix the cause, then run the same starloop eval again with --rejudge errors`, { cause: error });
    }
    throw error;
  } finally {
    await policy.close?.();
    store.close();
    await options.registry.dispose();
  }
}
