import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import type { RunConfig } from '../config/schema.ts';
import { AbortedError, ConfigError, VerifierFailedError } from '../errors.ts';
import { basePolicyRef, createPolicy, createTeacherPolicy, teacherPolicyConfig } from '../policy/create.ts';
import type { Policy } from '../policy/policy.ts';
import { applyDefaultVerifier, type ProblemFile, readProblemFile } from '../problems/load.ts';
import type { Problem } from '../schema/problem.ts';
import type { RoundSummary } from '../schema/summary.ts';
import type { PolicyRef } from '../schema/training.ts';
import { checkRunDirectory, RunStore } from '../store/run-store.ts';
import { createTrainer, restartsFromBase, trainBaseModel } from '../trainer/create.ts';
import type { Trainer } from '../trainer/trainer.ts';
import type { VerifierRegistry } from '../verify/registry.ts';
import { VerifierResolver } from '../verify/resolver.ts';
import type { EventSink } from './events.ts';
import { describeDropped, dropContaminatedProblems } from './contamination.ts';
import { describeChange, openManifest } from './manifest.ts';
import { Budget } from './budget.ts';
import { configCost } from './params.ts';
import { renderPrompt } from './prompt.ts';
import { rejudgeErrors } from './rejudge.ts';
import { runRound, type RunSetting, throwIfAborted } from './round.ts';
import { type AdapterServing, createAdapterServing } from './serve.ts';
import { sampleEstimator, storedSpend } from './spending.ts';
import { loraEndpoints } from '../trainer/lora/endpoint.ts';
import { type DatasetSource, survivorDataset } from './select.ts';
import { survivalFilter } from './survivors.ts';

/** Makes the policy that samples a round from the model that round uses (the base, or a trained one). */
export type PolicyFactory = (ref: PolicyRef) => Policy | Promise<Policy>;

export interface RunOptions {
  config: RunConfig;
  runDir: string;
  registry: VerifierRegistry;
  /**
   * The sampler: by default the config's `policy`. A Policy object samples every round (its `id`
   * is the base model); a factory is called with each round's model, so it can sample what the
   * trainer produced.
   */
  policy?: Policy | PolicyFactory;
  /**
   * A teacher that samples the training data (every round, or round 0 only, by `teacher.rounds`)
   * while `policy` is trained and evaluated: by default the config's `teacher`, if any.
   */
  teacher?: Policy;
  /** The trainer: by default the config's `train`; `null` trains nothing (round 0's dataset only). */
  trainer?: Trainer | null;
  /** Where each round's fine-tuning set comes from: by default the verified survivors. */
  datasetSource?: DatasetSource;
  resume?: boolean;
  /** Progress and results as they happen. */
  onEvent?: EventSink;
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
  /** Verifier calls in flight (code verifiers run in parallel sandboxes). */
  verifyConcurrency?: number;
  /** On resume, judge every stored `error` verdict again first (after its cause was fixed). */
  rejudge?: 'errors';
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
  const emit = options.onEvent ?? (() => {});
  checkRunDirectory(runDir, options.resume ?? false);

  const splits = await loadSplits(config);
  const evalProblems = splits[1]?.file.problems ?? [];
  const loadedTrain = splits[0].file.problems;
  const problemsById = indexProblems(loadedTrain, evalProblems);
  // An eval problem copied into the train file under another id must not be trained on either.
  const { train: trainProblems, dropped } = dropContaminatedProblems(config, loadedTrain, evalProblems);
  const resolver = new VerifierResolver(options.registry, config.verifier);
  resolver.checkAll([...trainProblems, ...evalProblems]);
  const trainer = options.trainer === undefined ? createTrainer(config, options.env) : (options.trainer ?? undefined);
  const policyFor = policyFactory(options);
  const baseRef = isPolicy(options.policy) ? { model: options.policy.id } : basePolicyRef(config);
  // A missing API key or checkpoint fails here, before the run directory is created.
  if (!options.policy) await (await policyFor(baseRef)).close?.();
  const warmed = await resolver.warmUp();
  const servingFor = trainer ? adapterServing(config, emit, options.env ?? process.env) : undefined;
  const teacher = options.teacher ?? (await createTeacherPolicy(config, options.env));
  const datasetSource = options.datasetSource ?? survivorDataset(problemsById, (problem) => renderPrompt(config, problem));

  let store: RunStore;
  try {
    store = await RunStore.open(runDir);
  } catch (error) {
    if (!options.teacher) await teacher?.close?.();
    throw error;
  }
  try {
    checkRunDirectory(runDir, options.resume ?? false, { locked: true });
    const { manifest, resumed, change } = await openManifest(store, { config, datasetSource: datasetSource.id, resolver, trainCount: loadedTrain.length, evalCount: evalProblems.length });
    manifest.contamination = { checked: loadedTrain.length, dropped };
    emit({ type: 'run-start', runDir, rounds: config.rounds, resumed });
    if (change) emit({ type: 'log', message: `changed on resume (recorded in manifest.json): ${describeChange(change)}` });
    for (const { split, file, verifier } of splits) {
      emit({ type: 'log', message: `${split}: ${file.problems.length} ${file.format} problems → verifier ${verifier}` });
      for (const notice of file.notices) emit({ type: 'log', message: notice });
    }
    if (dropped.length) {
      emit({ type: 'log', message: `dropped ${dropped.length} train problem${dropped.length === 1 ? '' : 's'} that copy eval problems (select.contamination: drop):` });
      for (const d of dropped) emit({ type: 'log', message: `  ${describeDropped(d)}` });
    }
    if (warmed.length) emit({ type: 'log', message: `warmed up before sampling: ${warmed.map(({ id, ms }) => `${id} ${(ms / 1000).toFixed(1)} s`).join(', ')}` });
    const serving = servingFor?.(store);
    const budget = await runBudget(store, config);
    for (const message of recipeNotes(config, teacher)) emit({ type: 'log', message });
    const setting: RunSetting = {
      config, store, resolver, trainProblems, evalProblems, problemsById,
      evalIds: new Set(evalProblems.map((p) => p.id)),
      datasetSource, emit, session: randomUUID(), serving, signal: options.signal,
      costFor: (model) => (options.policy ? () => null : configCost(config, model)),
      ...(budget ? { budget, estimatorFor: (model: string) => sampleEstimator(config, model) } : {}),
      verifyConcurrency: options.verifyConcurrency ?? 8,
    };
    if (resumed && options.rejudge === 'errors') {
      await rejudgeErrors({ store, trainProblems, evalProblems, problemsById, resolver, concurrency: setting.verifyConcurrency, emit, resuming: true });
    }
    const summaries: RoundSummary[] = [];
    const lastRound = trainer ? config.rounds : 0;
    const base = manifest.policies[0] ?? baseRef;
    const trainBase = trainBaseModel(config);
    const baseForTraining = trainBase ? { ...base, model: trainBase } : base;
    let ref: PolicyRef = base;
    const teacherCost = options.teacher ? () => null : configCost({ policy: teacherPolicyConfig(config) ?? config.policy });
    for (let round = 0; round <= lastRound; round++) {
      throwIfAborted(options.signal);
      manifest.policies[round] = ref;
      await store.writeManifest(manifest);
      if (round > 0) await serving?.ensure(ref, options.signal);
      const policy = await policyFor(ref);
      try {
        const { summary, next } = await runRound(setting, {
          round, policy, ref,
          collect: round < lastRound || (round === 0 && !trainer),
          ...(teacher && teachesIn(config, round) ? { sampler: { policy: teacher, cost: teacherCost } } : {}),
          ...(trainer && round < config.rounds ? { training: { trainer, base: baseForTraining, start: restartsFromBase(config) ? baseForTraining : ref } } : {}),
        });
        summaries.push(summary);
        if (!next) break;
        ref = next;
      } finally {
        if (!isPolicy(options.policy)) await policy.close?.();
      }
    }
    manifest.verifiers = resolver.versions();
    await store.writeManifest(manifest);
    return { runDir, summaries };
  } catch (error) {
    // Whatever a backend threw while being cancelled, the user asked to stop: say how to go on.
    if (options.signal?.aborted && !(error instanceof AbortedError)) throw new AbortedError(`interrupted; continue with: starloop run --out ${runDir} --resume`, { cause: error });
    if (error instanceof VerifierFailedError) {
      throw new VerifierFailedError(`${error.message}; fix the cause, then continue with: starloop run --out ${runDir} --resume --rejudge errors`, { cause: error });
    }
    throw error;
  } finally {
    store.close();
    if (!options.teacher) await teacher?.close?.();
    await options.registry.dispose();
  }
}

/**
 * `train.serve`'s adapter loading into the policy's own OpenAI-compatible servers; its endpoints
 * (and their keys) are checked here, before the run directory is made.
 */
function adapterServing(config: RunConfig, emit: EventSink, env: NodeJS.ProcessEnv): ((store: RunStore) => AdapterServing) | undefined {
  const serve = config.train.type === 'command' ? config.train.serve : undefined;
  if (!serve) return undefined;
  const policy = config.policy;
  if (policy.type !== 'openai') throw new ConfigError(`train.serve loads adapters into the policy's servers; it needs policy.type openai, not ${policy.type}`);
  const endpoints = loraEndpoints(policy, serve, env);
  return (store) => createAdapterServing({ serve, policy, runName: config.name, store, emit, env, endpoints });
}

/** Whether the teacher samples round `round`'s training data: every round, or round 0 only. */
function teachesIn(config: RunConfig, round: number): boolean {
  return (config.teacher?.rounds ?? 'every') === 'every' || round === 0;
}

/** What the run's settings mean for where its training data comes from, said once at the start. */
function recipeNotes(config: RunConfig, teacher: Policy | undefined): string[] {
  const notes: string[] = [];
  if (teacher) {
    const when = (config.teacher?.rounds ?? 'every') === 'every' ? 'in every round' : 'in round 0 (later rounds: the student)';
    notes.push(`teacher ${teacher.id} samples the training data ${when}; the student is trained and evaluated`);
  }
  const filter = survivalFilter(config);
  if (filter !== 'verified') {
    notes.push(filter === 'none' ? 'select.filter none: every sample is kept, verified or not (imitation)' : 'select.filter majority: samples giving their problem\'s majority answer are kept, gold answers unused');
    if (config.rationalize.enabled) notes.push(`rationalization is off: it serves only select.filter verified`);
  }
  if ((config.select.pool ?? 'round') === 'all') notes.push('select.pool all: each round trains on its survivors and every earlier round\'s');
  return notes;
}

/** Both problem files, with the verifier each split's problems get (the config's, else their layout's). */
export async function loadSplits(config: RunConfig): Promise<{ split: 'train' | 'eval'; file: ProblemFile; verifier: string }[]> {
  const paths: ['train' | 'eval', string][] = [['train', config.problems.train], ...(config.problems.eval ? [['eval', config.problems.eval] as ['eval', string]] : [])];
  const out: { split: 'train' | 'eval'; file: ProblemFile; verifier: string }[] = [];
  for (const [split, path] of paths) {
    const file = await readProblemFile(path, { format: config.problems.format, split, limit: config.problems.limit });
    out.push({ split, file, verifier: applyDefaultVerifier(file, config.verifier) });
  }
  return out;
}

function isPolicy(value: RunOptions['policy']): value is Policy {
  return typeof value === 'object' && value !== null;
}

function policyFactory(options: RunOptions): PolicyFactory {
  const given = options.policy;
  if (isPolicy(given)) return () => given;
  if (given) return given;
  return (ref) => createPolicy(options.config, ref, options.env);
}

/**
 * The run's spending caps with what its stored samples already cost, so a cap holds across
 * resumes; undefined without caps. A cost cap needs every stored sample to have a known price.
 */
async function runBudget(store: RunStore, config: RunConfig): Promise<Budget | undefined> {
  const budget = new Budget(config.budget);
  if (!budget.capped) return undefined;
  const spent = await storedSpend(store, config);
  if (config.budget.maxCostUsd !== undefined && spent.costUsd === null) {
    throw new ConfigError('budget.maxCostUsd is set, but this run holds samples of a model whose price is not known; give policy.pricing: {input, output} in USD per million tokens');
  }
  return new Budget(config.budget, spent);
}

function indexProblems(train: readonly Problem[], evaluation: readonly Problem[]): Map<string, Problem> {
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
