import { resolve } from 'node:path';
import type { RunConfig } from '../config/schema.ts';
import { AbortedError, ConfigError, RunStoreError } from '../errors.ts';
import { toolGitHash, toolVersion } from '../package-info.ts';
import { loadProblems } from '../problems/load.ts';
import { basePolicyRef, createPolicy } from '../policy/create.ts';
import type { Policy, PolicyRef } from '../policy/policy.ts';
import type { RunManifest } from '../schema/manifest.ts';
import type { Problem } from '../schema/problem.ts';
import type { RoundSummary, StageTimings } from '../schema/summary.ts';
import { assertResumable, RunStore } from '../store/run-store.ts';
import { createTrainer, restartsFromBase, trainBaseModel } from '../trainer/create.ts';
import type { Trainer } from '../trainer/trainer.ts';
import type { VerifierRegistry } from '../verify/registry.ts';
import { collectTrainingData } from './collect.ts';
import type { RunContext } from './context.ts';
import type { EventSink } from './events.ts';
import { evaluatePolicy } from './evaluate.ts';
import { changedKeys, configHash, fileSha256, hashableConfig } from './manifest.ts';
import { runStage } from './stage.ts';
import { VerifierResolver } from './verifier-resolver.ts';

export interface RunOptions {
  config: RunConfig;
  runDir: string;
  registry: VerifierRegistry;
  resume?: boolean;
  control?: boolean;
  emit?: EventSink;
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
  verifyConcurrency?: number;
}

export interface RunResult {
  runDir: string;
  summaries: RoundSummary[];
}

/**
 * The STaR loop. Entry r evaluates policy r; for r < rounds it also samples the train split with
 * policy r, keeps the verified survivors and trains policy r+1. Every stage first reads what the
 * run directory already holds, so a killed run continues where it stopped.
 */
export async function runLoop(options: RunOptions): Promise<RunResult> {
  const { config } = options;
  const runDir = resolve(options.runDir);
  const emit = options.emit ?? (() => {});
  assertResumable(runDir, options.resume ?? false);
  if (options.control && (config.policy.type !== 'embedded' || config.train.type !== 'embedded')) {
    // The control's gold data is the embedded task's easy split; for other models it would be noise.
    throw new ConfigError('--control is the embedded model\'s same-steps control (gold easy arithmetic); it needs policy.type and train.type embedded');
  }

  const trainProblems = await loadProblems(config.problems.train, { format: config.problems.format, split: 'train', limit: config.problems.limit });
  const evalProblems = config.problems.eval
    ? await loadProblems(config.problems.eval, { format: config.problems.format, split: 'eval', limit: config.problems.limit })
    : [];
  const problemsById = indexProblems(trainProblems, evalProblems);
  const resolver = new VerifierResolver(options.registry, config.verifier);
  resolver.checkAll([...trainProblems, ...evalProblems]);
  const trainer = createTrainer(config, options.env);
  // A missing API key or checkpoint fails here, before the run directory is created.
  await (await createPolicy(config, basePolicyRef(config), options.env)).close?.();

  const store = await RunStore.open(runDir);
  try {
    const { manifest, resumed } = await openManifest(store, config, options.control ?? false, resolver, trainProblems.length, evalProblems.length);
    emit({ type: 'run-start', runDir, rounds: config.rounds, resumed });
    const context: RunContext = {
      config, store, resolver, trainProblems, evalProblems, problemsById,
      evalIds: new Set(evalProblems.map((p) => p.id)),
      emit, signal: options.signal, control: options.control ?? false,
      verifyConcurrency: options.verifyConcurrency ?? 8,
    };
    const summaries: RoundSummary[] = [];
    const lastRound = trainer ? config.rounds : 0;
    let ref: PolicyRef = manifest.policies[0] ?? basePolicyRef(config);
    for (let round = 0; round <= lastRound; round++) {
      throwIfAborted(options.signal);
      manifest.policies[round] = ref;
      await store.writeManifest(manifest);
      const policy = await createPolicy(config, ref, options.env);
      try {
        const summary = await runRound(context, round, policy, round < config.rounds ? trainer : undefined, ref, manifest);
        summaries.push(summary);
        emit({ type: 'round-end', summary });
        const next = await store.readNextPolicy(round);
        if (!next) break;
        ref = next;
      } finally {
        await policy.close?.();
      }
    }
    manifest.verifiers = resolver.versions();
    await store.writeManifest(manifest);
    return { runDir, summaries };
  } catch (error) {
    // Whatever a backend threw while being cancelled, the user asked to stop: say how to go on.
    if (options.signal?.aborted && !(error instanceof AbortedError)) throw new AbortedError(`interrupted; continue with: starloop run --out ${runDir} --resume`, { cause: error });
    throw error;
  } finally {
    store.close();
    await options.registry.dispose();
  }
}

async function runRound(context: RunContext, round: number, policy: Policy, trainer: Trainer | undefined, ref: PolicyRef, manifest: RunManifest): Promise<RoundSummary> {
  const started = performance.now();
  context.emit({ type: 'round-start', round, model: policy.id });
  const timings: StageTimings = { sampleMs: 0, verifyMs: 0, rationalizeMs: 0, selectMs: 0, trainMs: 0, evalMs: 0 };
  const evalStats = await evaluatePolicy(context, round, policy, timings);
  throwIfAborted(context.signal);
  let trainStats;
  if (trainer || (round === 0 && context.config.train.type === 'none')) {
    const collected = await collectTrainingData(context, round, policy, timings);
    trainStats = collected.stats;
    if (trainer) {
      const already = await context.store.readNextPolicy(round);
      if (!already) {
        const trainStarted = performance.now();
        const next = await trainNext(context, round, trainer, ref, manifest, collected.datasetPath, collected.examples);
        timings.trainMs = performance.now() - trainStarted;
        await context.store.writeNextPolicy(round, next);
      }
    }
  }
  const summary: RoundSummary = {
    round,
    model: policy.id,
    ...(trainStats ? { train: trainStats } : {}),
    ...(evalStats ? { eval: evalStats } : {}),
    timings,
    wallMs: performance.now() - started,
  };
  await context.store.writeSummary(summary);
  return summary;
}

async function trainNext(context: RunContext, round: number, trainer: Trainer, ref: PolicyRef, manifest: RunManifest, datasetPath: string, examples: number): Promise<PolicyRef> {
  const { config, store } = context;
  const base: PolicyRef = manifest.policies[0];
  const trainBase = trainBaseModel(config);
  const baseForTraining = trainBase ? { ...base, model: trainBase } : base;
  const start = restartsFromBase(config) ? baseForTraining : ref;
  if (examples === 0) {
    context.emit({ type: 'log', message: `round ${round}: no survivors, so no fine-tune; the next round keeps ${ref.model}` });
    return ref;
  }
  const layout = await store.round(round);
  const trained = await runStage(context.emit, round, 'train', { total: 0, label: `train on ${examples} examples from ${start.model}` },
    () => trainer.train({
      datasetPath, examples, base: baseForTraining, start, round: round + 1, outDir: layout.trainerDir,
      state: store.trainerState(round), signal: context.signal,
      onProgress: (p) => context.emit({ type: 'stage-progress', round, stage: 'train', done: p.done ?? 0, total: p.total ?? 0, message: p.message ?? (p.total ? undefined : p.stage) }),
    }),
    (next) => `→ ${next.model}`);
  return trained.result;
}

async function openManifest(
  store: RunStore,
  config: RunConfig,
  control: boolean,
  resolver: VerifierResolver,
  trainCount: number,
  evalCount: number,
): Promise<{ manifest: RunManifest; resumed: boolean }> {
  const hash = configHash(config);
  const existing = await store.readManifest();
  if (existing) {
    if (existing.configHash !== hash) {
      const keys = changedKeys(hashableConfig(existing.config as unknown as RunConfig), hashableConfig(config));
      throw new RunStoreError('RUN_MISMATCH', `cannot resume ${store.layout.dir}: the config changed in ${keys.join(', ') || 'its details'}; start a new run with another --out`);
    }
    if (existing.control !== control) throw new RunStoreError('RUN_MISMATCH', `cannot resume ${store.layout.dir}: it was ${existing.control ? '' : 'not '}a --control run`);
    // Same paths, other contents: stored samples and verdicts would belong to other problems.
    for (const [split, fingerprint] of Object.entries(existing.datasets)) {
      if (fingerprint && (await fileSha256(fingerprint.path)) !== fingerprint.sha256) {
        throw new RunStoreError('RUN_MISMATCH', `cannot resume ${store.layout.dir}: the ${split} problem file ${fingerprint.path} changed since the run started`);
      }
    }
    return { manifest: { ...existing, config: config as unknown as Record<string, unknown> }, resumed: true };
  }
  const now = new Date().toISOString();
  const manifest: RunManifest = {
    name: config.name,
    createdAt: now,
    updatedAt: now,
    tool: { version: toolVersion(), gitHash: toolGitHash() },
    configHash: hash,
    config: config as unknown as Record<string, unknown>,
    seeds: { run: config.seed, sampling: config.sampling.seed },
    policies: [],
    verifiers: resolver.versions(),
    datasets: {
      train: { path: config.problems.train, sha256: await fileSha256(config.problems.train), problems: trainCount },
      ...(config.problems.eval ? { eval: { path: config.problems.eval, sha256: await fileSha256(config.problems.eval), problems: evalCount } } : {}),
    },
    control,
  };
  await store.writeManifest(manifest);
  return { manifest, resumed: false };
}

function indexProblems(train: Problem[], evaluation: Problem[]): Map<string, Problem> {
  const byId = new Map<string, Problem>();
  for (const problem of train) byId.set(problem.id, problem);
  for (const problem of evaluation) {
    if (byId.has(problem.id)) {
      throw new ConfigError(`problem id '${problem.id}' is in both the train and the eval file; an eval problem must never be trained on`);
    }
    byId.set(problem.id, problem);
  }
  return byId;
}

function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new AbortedError('interrupted; run again with --resume to continue');
}
