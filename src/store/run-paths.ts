import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { RunManifest } from '../schema/manifest.ts';
import type { PolicyRef } from '../schema/training.ts';

/**
 * A path as a run directory stores it: one inside the directory relative to it, so a run that is
 * moved or renamed finds its own files where they are now and never reads or writes where the
 * directory used to be; one outside it (a base checkpoint, a trainer's own folder) as given.
 */
export function storedPath(runDir: string, path: string): string {
  if (!isAbsolute(path)) return path;
  const inside = relative(resolve(runDir), path);
  return inside !== '' && !inside.startsWith(`..${sep}`) && inside !== '..' && !isAbsolute(inside) ? inside : path;
}

/** A stored path as a path to use now: a relative one is resolved against the run directory where it is now. */
export function loadedPath(runDir: string, path: string): string {
  return isAbsolute(path) ? path : resolve(runDir, path);
}

export function storedRef(runDir: string, ref: PolicyRef): PolicyRef {
  return ref.checkpoint === undefined ? ref : { ...ref, checkpoint: storedPath(runDir, ref.checkpoint) };
}

export function loadedRef(runDir: string, ref: PolicyRef): PolicyRef {
  return ref.checkpoint === undefined ? ref : { ...ref, checkpoint: loadedPath(runDir, ref.checkpoint) };
}

/** A manifest read back: the checkpoints of the policies its rounds sampled, where they are now. */
export function loadedManifest(runDir: string, manifest: RunManifest): RunManifest {
  return { ...manifest, policies: manifest.policies.map((ref) => loadedRef(runDir, ref)) };
}
