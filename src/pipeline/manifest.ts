import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { canonicalJson, computedValues, configDifferences, type KeyDifference } from '../config/key-classes.ts';
import { RunConfig } from '../config/schema.ts';
import { RunStoreError } from '../errors.ts';
import { toolGitHash, toolVersion } from '../package-info.ts';
import type { ConfigChange, RunManifest } from '../schema/manifest.ts';
import type { RunStore } from '../store/run-store.ts';
import { describeSettingChanges } from '../store/settings-file.ts';
import type { VerifierResolver } from '../verify/resolver.ts';

export function configHash(config: RunConfig): string {
  return createHash('sha256').update(canonicalJson(computedValues(asRecord(config)))).digest('hex');
}

const asRecord = (config: RunConfig) => config as unknown as Record<string, unknown>;

/**
 * A stored config read back through today's schema, so keys added since it was written get their
 * defaults (an old run is not refused for a key it could not have set); as stored when it no longer parses.
 */
function storedConfig(stored: Record<string, unknown>): Record<string, unknown> {
  const parsed = RunConfig.safeParse(stored);
  return parsed.success ? asRecord(parsed.data) : stored;
}

/** What a resumed run changed in keys that may change, as the manifest records it; undefined when nothing did. */
function resumeChange(differences: readonly KeyDifference[]): ConfigChange | undefined {
  if (differences.length === 0) return undefined;
  const keys = Object.fromEntries(differences.map(({ path, from, to }) => [path, { from: from ?? null, to: to ?? null }]));
  return { at: new Date().toISOString(), keys };
}

/** One line for the log: `policy.baseURL "http://a/v1" → "http://b/v1"; rounds 2 → 3`. */
export function describeChange(change: ConfigChange): string {
  return describeSettingChanges(Object.entries(change.keys).map(([key, { from, to }]) => ({ key, from: from ?? undefined, to: to ?? undefined })));
}

export async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Same paths, other contents: stored samples and verdicts would belong to other problems. */
export async function checkProblemFiles(runDir: string, manifest: RunManifest, action: string): Promise<void> {
  for (const [split, fingerprint] of Object.entries(manifest.datasets)) {
    if (fingerprint && (await fileSha256(fingerprint.path)) !== fingerprint.sha256) {
      throw new RunStoreError('RUN_MISMATCH', `cannot ${action} ${runDir}: the ${split} problem file ${fingerprint.path} changed since the run started`);
    }
  }
}

/**
 * The run's problem files as `config` names them now, checked against the fingerprints the run
 * stored. Their paths are deployment (a run copied with its problems elsewhere resumes there);
 * their content is what is computed on, so a file whose sha256 differs is refused, as is a split
 * added or dropped.
 */
async function resumedDatasets(runDir: string, manifest: RunManifest, config: RunConfig): Promise<RunManifest['datasets']> {
  const datasets = { ...manifest.datasets };
  for (const [split, path] of [['train', config.problems.train], ['eval', config.problems.eval]] as const) {
    const stored = manifest.datasets[split];
    if (!stored && !path) continue;
    if (!stored || !path) {
      throw new RunStoreError('RUN_MISMATCH', `cannot resume ${runDir}: it ${stored ? `has ${split} problems (${stored.path}) and the config names none` : `has no ${split} problems and the config names ${path}`}`);
    }
    if ((await fileSha256(path)) !== stored.sha256) {
      const where = path === stored.path ? '' : ` (the run started with ${stored.path})`;
      throw new RunStoreError('RUN_MISMATCH', `cannot resume ${runDir}: the ${split} problem file ${path} changed since the run started${where}: its sha256 differs`);
    }
    datasets[split] = { ...stored, path };
  }
  return datasets;
}

/** Config keys naming a checkpoint file: their content is what is computed with, their path where it lies. */
const CHECKPOINT_KEYS = ['policy.checkpoint', 'teacher.checkpoint'] as const;

async function checkpointFingerprints(config: RunConfig): Promise<NonNullable<RunManifest['checkpoints']>> {
  const checkpointOf = (policy: { type: string; checkpoint?: string } | undefined) => (policy?.type === 'embedded' ? policy.checkpoint : undefined);
  const paths = { 'policy.checkpoint': checkpointOf(config.policy), 'teacher.checkpoint': checkpointOf(config.teacher) };
  const out: NonNullable<RunManifest['checkpoints']> = {};
  for (const key of CHECKPOINT_KEYS) {
    const path = paths[key];
    if (path) out[key] = { path, sha256: await fileSha256(path) };
  }
  return out;
}

/**
 * The config's checkpoint differences that are a moved file (the sha256 stored when the run
 * started, at another path): deployment, like a moved problem file. Another file at the old or a
 * new path is refused; a run from before checkpoints were fingerprinted may not change the path.
 */
function movedCheckpoints(runDir: string, differences: readonly KeyDifference[], stored: RunManifest['checkpoints'], now: NonNullable<RunManifest['checkpoints']>): KeyDifference[] {
  for (const key of CHECKPOINT_KEYS) {
    const before = stored?.[key];
    const after = now[key];
    if (before && after && before.sha256 !== after.sha256) {
      const where = before.path === after.path ? '' : ` (the run started with ${before.path})`;
      throw new RunStoreError('RUN_MISMATCH', `cannot resume ${runDir}: the checkpoint ${after.path} (${key}) changed since the run started${where}: its sha256 differs`);
    }
  }
  return differences.map((d) => ((CHECKPOINT_KEYS as readonly string[]).includes(d.path) && stored?.[d.path] && now[d.path] ? { ...d, keyClass: 'deployment' } : d));
}

export interface ManifestInputs {
  config: RunConfig;
  /** The run's dataset source id: a resumed run must keep the same one. */
  datasetSource: string;
  resolver: VerifierResolver;
  trainCount: number;
  evalCount: number;
}

export interface OpenedManifest {
  manifest: RunManifest;
  resumed: boolean;
  /** The extent and deployment keys this resume changed (recorded in the manifest's `changes`). */
  change?: ConfigChange;
}

/**
 * The run's manifest: a new one for a new run; for a resumed run the stored one, after checking
 * that nothing that shapes stored results changed (computed config keys, dataset source, problem
 * files); changes to the other keys are recorded with their time.
 */
export async function openManifest(store: RunStore, inputs: ManifestInputs): Promise<OpenedManifest> {
  const { config } = inputs;
  const hash = configHash(config);
  const existing = await store.readManifest();
  if (existing) {
    const checkpoints = await checkpointFingerprints(config);
    const differences = movedCheckpoints(store.layout.dir, configDifferences(storedConfig(existing.config), asRecord(config)), existing.checkpoints, checkpoints);
    const locked = differences.filter((d) => d.keyClass === 'computed').map((d) => d.path);
    if (locked.length > 0) {
      throw new RunStoreError(
        'RUN_MISMATCH',
        `cannot resume ${store.layout.dir}: the config changed in ${locked.join(', ')}, which decide${locked.length === 1 ? 's' : ''} what is computed; put ${locked.length === 1 ? 'it' : 'them'} back, or start a new run with another --out (URLs, keys' variable names, concurrency, rate and time limits, retries, the trainer command, the budget, problem file paths, rounds and k may change on --resume)`,
      );
    }
    if (existing.datasetSource !== inputs.datasetSource) {
      throw new RunStoreError('RUN_MISMATCH', `cannot resume ${store.layout.dir}: its rounds trained on ${existing.datasetSource}, not ${inputs.datasetSource}`);
    }
    const datasets = await resumedDatasets(store.layout.dir, existing, config);
    const change = resumeChange(differences);
    const manifest: RunManifest = {
      ...existing, configHash: hash, config: asRecord(config), datasets,
      ...(Object.keys(checkpoints).length ? { checkpoints } : {}),
      ...(change ? { changes: [...(existing.changes ?? []), change] } : {}),
    };
    if (change || !isDeepStrictEqual(existing.checkpoints, manifest.checkpoints)) await store.writeManifest(manifest);
    return { manifest, resumed: true, ...(change ? { change } : {}) };
  }
  const now = new Date().toISOString();
  const manifest: RunManifest = {
    name: config.name,
    createdAt: now,
    updatedAt: now,
    tool: { version: toolVersion(), gitHash: toolGitHash() },
    configHash: hash,
    config: asRecord(config),
    seeds: { run: config.seed, sampling: config.sampling.seed },
    policies: [],
    verifiers: inputs.resolver.versions(),
    datasets: {
      train: { path: config.problems.train, sha256: await fileSha256(config.problems.train), problems: inputs.trainCount },
      ...(config.problems.eval ? { eval: { path: config.problems.eval, sha256: await fileSha256(config.problems.eval), problems: inputs.evalCount } } : {}),
    },
    datasetSource: inputs.datasetSource,
  };
  const checkpoints = await checkpointFingerprints(config);
  if (Object.keys(checkpoints).length) manifest.checkpoints = checkpoints;
  await store.writeManifest(manifest);
  return { manifest, resumed: false };
}
