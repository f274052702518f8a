import { resolve } from 'node:path';
import type { RunConfig } from '../config/schema.ts';
import { ConfigError } from '../errors.ts';
import { createPolicy } from '../policy/create.ts';
import type { PolicyRef } from '../policy/policy.ts';
import { loadProblems } from '../problems/load.ts';
import type { EvalStats } from '../schema/summary.ts';
import { RunStore } from '../store/run-store.ts';
import type { VerifierRegistry } from '../verify/registry.ts';
import type { EventSink } from './events.ts';
import { evaluatePolicy } from './evaluate.ts';
import { VerifierResolver } from './verifier-resolver.ts';

export interface EvaluationOptions {
  config: RunConfig;
  ref: PolicyRef;
  /** Directory whose round-0 files hold the samples and verdicts, so a re-run reuses them. */
  outDir: string;
  registry: VerifierRegistry;
  emit?: EventSink;
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
}

/** Evaluates one policy on the config's eval split, outside a STaR run. */
export async function runEvaluation(options: EvaluationOptions): Promise<EvalStats> {
  const { config } = options;
  if (!config.problems.eval) throw new ConfigError('the config has no problems.eval file to evaluate on');
  const evalProblems = await loadProblems(config.problems.eval, { format: config.problems.format, split: 'eval', limit: config.problems.limit });
  const resolver = new VerifierResolver(options.registry, config.verifier);
  resolver.checkAll(evalProblems);
  const store = await RunStore.open(resolve(options.outDir));
  const policy = await createPolicy(config, options.ref, options.env);
  try {
    const timings = { sampleMs: 0, verifyMs: 0, rationalizeMs: 0, selectMs: 0, trainMs: 0, evalMs: 0 };
    const stats = await evaluatePolicy(
      {
        config, store, resolver, trainProblems: [], evalProblems,
        problemsById: new Map(evalProblems.map((p) => [p.id, p])), evalIds: new Set(evalProblems.map((p) => p.id)),
        emit: options.emit ?? (() => {}), signal: options.signal, control: false, verifyConcurrency: 8,
      },
      0,
      policy,
      timings,
    );
    return stats!;
  } finally {
    await policy.close?.();
    store.close();
    await options.registry.dispose();
  }
}
