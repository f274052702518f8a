import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { RunConfig } from '../config/schema.ts';

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
  'policy.timeoutMs',
  'policy.maxRetries',
  'policy.baseURL',
  'policy.endpoints',
  'train.pollIntervalMs',
  'train.timeoutMs',
];

export function hashableConfig(config: RunConfig): Record<string, unknown> {
  const copy = structuredClone(config) as unknown as Record<string, Record<string, unknown>>;
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
