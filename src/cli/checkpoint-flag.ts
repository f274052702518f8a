import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { RunConfig } from '../config/schema.ts';
import { loadCheckpoint } from '../embedded/checkpoint.ts';
import { ConfigError } from '../errors.ts';

/**
 * An embedded checkpoint named by `--checkpoint`, as an absolute path, read and decoded before
 * anything starts: a typo is a one-line error, not an empty run directory or a server that
 * answers every request with a 500.
 */
export async function checkpointFlag(path: string): Promise<string> {
  const file = resolve(path);
  const shown = file === path ? path : `${path} (${file})`;
  const info = await stat(file).catch(() => undefined);
  if (!info) throw new ConfigError(`--checkpoint ${shown}: no such file`);
  if (!info.isFile()) throw new ConfigError(`--checkpoint ${shown}: not a file`);
  await loadCheckpoint(file);
  return file;
}

/** `--checkpoint` names embedded weights; with a config that samples from a server it would be ignored. */
export function assertEmbeddedPolicy(config: RunConfig): void {
  if (config.policy.type !== 'embedded') {
    throw new ConfigError(`--checkpoint is an embedded model checkpoint, but the config's policy is type ${config.policy.type}; use --model ID for a served model`);
  }
}
