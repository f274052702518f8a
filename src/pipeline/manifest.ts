import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { RunConfig } from '../config/schema.ts';
import { RunStoreError } from '../errors.ts';
import { toolGitHash, toolVersion } from '../package-info.ts';
import type { RunManifest } from '../schema/manifest.ts';
import type { RunStore } from '../store/run-store.ts';
import type { VerifierResolver } from '../verify/resolver.ts';

/**
 * Keys a resumed run may change without invalidating what is stored: how many rounds and samples
 * (sample identity does not include k), and how fast or where requests go.
 */
const RESUMABLE_KEYS = [
  'rounds',
  'sampling.k',
  'sampling.concurrency',
  'eval.k',
  'policy.requestsPerMinute',
  'policy.tokensPerMinute',
  'policy.rateLimitPatienceMs',
  'policy.timeoutMs',
  'policy.maxRetries',
  'policy.baseURL',
  'policy.endpoints',
  'train.pollIntervalMs',
  'train.timeoutMs',
  'budget',
];

export function hashableConfig(config: RunConfig): Record<string, unknown> {
  const copy = structuredClone(config) as unknown as Record<string, Record<string, unknown>>;
  // Under the fixed strategy these change nothing, and runs made before strategies existed hash as they did.
  if (copy.sampling?.strategy === 'fixed') for (const key of ['strategy', 'correct', 'maxK']) delete copy.sampling[key];
  for (const dotted of RESUMABLE_KEYS) {
    const [head, tail] = dotted.split('.');
    if (tail === undefined) delete copy[head];
    else if (copy[head] && typeof copy[head] === 'object') delete copy[head][tail];
  }
  return copy;
}

export function configHash(config: RunConfig): string {
  return createHash('sha256').update(canonicalJson(hashableConfig(config))).digest('hex');
}

/** Top-level keys whose values differ, to tell a user why a resume was refused. */
export function changedKeys(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].filter((key) => canonicalJson(a[key]) !== canonicalJson(b[key])).sort();
}

function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => x.localeCompare(y))) : v,
  );
}

export async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export interface ManifestInputs {
  config: RunConfig;
  /** The run's dataset source id: a resumed run must keep the same one. */
  datasetSource: string;
  resolver: VerifierResolver;
  trainCount: number;
  evalCount: number;
}

/**
 * The run's manifest: a new one for a new run; for a resumed run the stored one, after checking
 * that nothing that shapes stored results changed (config, dataset source, problem files).
 */
export async function openManifest(store: RunStore, inputs: ManifestInputs): Promise<{ manifest: RunManifest; resumed: boolean }> {
  const { config } = inputs;
  const hash = configHash(config);
  const existing = await store.readManifest();
  if (existing) {
    if (existing.configHash !== hash) {
      const keys = changedKeys(hashableConfig(existing.config as unknown as RunConfig), hashableConfig(config));
      throw new RunStoreError('RUN_MISMATCH', `cannot resume ${store.layout.dir}: the config changed in ${keys.join(', ') || 'its details'}; start a new run with another --out`);
    }
    if (existing.datasetSource !== inputs.datasetSource) {
      throw new RunStoreError('RUN_MISMATCH', `cannot resume ${store.layout.dir}: its rounds trained on ${existing.datasetSource}, not ${inputs.datasetSource}`);
    }
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
    verifiers: inputs.resolver.versions(),
    datasets: {
      train: { path: config.problems.train, sha256: await fileSha256(config.problems.train), problems: inputs.trainCount },
      ...(config.problems.eval ? { eval: { path: config.problems.eval, sha256: await fileSha256(config.problems.eval), problems: inputs.evalCount } } : {}),
    },
    datasetSource: inputs.datasetSource,
  };
  await store.writeManifest(manifest);
  return { manifest, resumed: false };
}
