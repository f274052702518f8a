import { resolve } from 'node:path';
import { resolveConfig } from '../config/load.ts';
import { RunStoreError, VerifierFailedError } from '../errors.ts';
import { checkRunDirectory, RunStore } from '../store/run-store.ts';
import type { Phase } from '../store/run-store.ts';
import type { RunConfig } from '../config/schema.ts';
import type { VerifierRegistry } from '../verify/registry.ts';
import { VerifierResolver } from '../verify/resolver.ts';
import type { EventSink } from './events.ts';
import { dropContaminatedProblems } from './contamination.ts';
import { checkProblemFiles } from './manifest.ts';
import { type RejudgedSplit, rejudgeErrors, stillFailing } from './rejudge.ts';
import { loadSplits } from './run-loop.ts';

export interface RejudgeRunOptions {
  runDir: string;
  /** The verifiers of the run's recorded config (built-ins plus its plug-ins). */
  loadRegistry: (config: RunConfig) => Promise<VerifierRegistry>;
  rounds?: readonly number[];
  phases?: readonly Phase[];
  onEvent?: EventSink;
  verifyConcurrency?: number;
}

/**
 * `starloop rejudge RUN`: judges a finished or stopped run's stored `error` verdicts again with the
 * config the run recorded, and recomputes its metrics. Throws VerifierFailedError when a stage's
 * verdicts are still mostly errors afterwards (the cause is not fixed yet).
 */
export async function rejudgeRun(options: RejudgeRunOptions): Promise<RejudgedSplit[]> {
  const runDir = resolve(options.runDir);
  const emit = options.onEvent ?? (() => {});
  checkRunDirectory(runDir, true);
  const store = await RunStore.open(runDir);
  try {
    checkRunDirectory(runDir, true, { locked: true });
    const manifest = await store.readManifest();
    if (!manifest) throw new RunStoreError('RUN_NOT_FOUND', `nothing to re-judge: ${runDir} holds no run (no manifest.json)`);
    await checkProblemFiles(runDir, manifest, 're-judge');
    const config = resolveConfig(manifest.config, runDir, `${runDir}/manifest.json`);
    const splits = await loadSplits(config);
    const evalProblems = splits[1]?.file.problems ?? [];
    const problemsById = new Map([...splits[0].file.problems, ...evalProblems].map((p) => [p.id, p]));
    // The rounds' metrics are over the train problems the run kept, as the run computed them.
    const { train: trainProblems } = dropContaminatedProblems(config, splits[0].file.problems, evalProblems);
    const registry = await options.loadRegistry(config);
    try {
      const resolver = new VerifierResolver(registry, config.verifier);
      resolver.checkAll([...trainProblems, ...evalProblems]);
      await resolver.warmUp();
      const done = await rejudgeErrors({
        store, trainProblems, evalProblems, problemsById, resolver, concurrency: options.verifyConcurrency ?? 8, emit, resuming: false,
        ...(options.rounds ? { rounds: options.rounds } : {}),
        ...(options.phases ? { phases: options.phases } : {}),
      });
      const failure = await stillFailing({ store, ...(options.rounds ? { rounds: options.rounds } : {}), ...(options.phases ? { phases: options.phases } : {}) });
      if (failure) throw new VerifierFailedError(`${failure}; fix the cause, then run starloop rejudge ${runDir} again`);
      return done;
    } finally {
      await registry.dispose();
    }
  } finally {
    store.close();
  }
}
