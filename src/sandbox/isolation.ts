import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, lstatSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { SandboxError } from '../errors.ts';

/** `bwrap`: namespaces + private file system; `fallback`: rlimits, empty env and uid only. */
export type IsolationLevel = 'bwrap' | 'fallback';

export interface Isolation {
  level: IsolationLevel;
  /** Absolute path of bubblewrap when `level` is `bwrap`. */
  bwrapPath?: string;
  /** Root must drop to a per-slot uid with setpriv: RLIMIT_NPROC does not apply to root. */
  setprivPath?: string;
  /** Root without bubblewrap can still unshare network and PID namespaces. */
  unsharePath?: string;
  /** Why isolation is weaker than `bwrap` (absent at full strength). */
  weakness?: string;
}

export const STRICT_ENV = 'STARLOOP_SANDBOX_STRICT';
export const BWRAP_ENV = 'STARLOOP_BWRAP';
export const SLOT_UID_BASE = 61_000;

/** System paths the sandbox sees read-only: programs and shared libraries, never /etc, /home or /root. */
export function systemBinds(): { binds: string[]; symlinks: Array<[target: string, link: string]> } {
  const binds = ['/usr'];
  const symlinks: Array<[string, string]> = [];
  for (const dir of ['/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32']) {
    if (!existsSync(dir)) continue;
    const stat = lstatSync(dir);
    if (stat.isSymbolicLink()) symlinks.push([readlinkSync(dir), dir]);
    else binds.push(dir);
  }
  return { binds, symlinks };
}

function findExecutable(name: string, preferred: string[]): string | undefined {
  const candidates = [...preferred, ...(process.env.PATH ?? '').split(':').filter(Boolean).map((dir) => path.join(dir, name))];
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; try the next one
    }
  }
  return undefined;
}

export function strictFromEnv(): boolean {
  return ['1', 'true', 'yes'].includes((process.env[STRICT_ENV] ?? '').toLowerCase());
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** Runs `bwrap ... /usr/bin/true` the way real runs start it; any failure means bwrap is not usable here. */
function probeBwrap(bwrapPath: string, setprivPath: string | undefined): Promise<string | undefined> {
  const { binds, symlinks } = systemBinds();
  const args = ['--unshare-all', '--die-with-parent', '--new-session'];
  for (const bind of binds) args.push('--ro-bind', bind, bind);
  for (const [target, link] of symlinks) args.push('--symlink', target, link);
  args.push('--proc', '/proc', '--dev', '/dev', '--tmpfs', '/tmp', '--', '/usr/bin/true');
  const [file, argv] = setprivPath
    ? [setprivPath, [`--reuid=${SLOT_UID_BASE}`, `--regid=${SLOT_UID_BASE}`, '--clear-groups', '/usr/bin/env', '-i', bwrapPath, ...args]]
    : ['/usr/bin/env', ['-i', bwrapPath, ...args]];
  return new Promise((resolve) => {
    const child = spawn(file, argv, { stdio: ['ignore', 'ignore', 'pipe'], env: {} });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (error) => resolve(error.message));
    child.on('close', (code) => resolve(code === 0 ? undefined : `bwrap probe exited ${code}: ${stderr.trim()}`));
  });
}

async function detect(): Promise<Isolation> {
  const setprivPath = isRoot() ? findExecutable('setpriv', ['/usr/bin/setpriv']) : undefined;
  const unsharePath = isRoot() ? findExecutable('unshare', ['/usr/bin/unshare']) : undefined;
  if (isRoot() && !setprivPath) {
    return { level: 'fallback', unsharePath, weakness: 'running as root without setpriv: cannot drop to an unprivileged uid' };
  }
  const override = process.env[BWRAP_ENV];
  const bwrapPath = override !== undefined ? (existsSync(override) ? override : undefined) : findExecutable('bwrap', ['/usr/bin/bwrap']);
  if (!bwrapPath) {
    return { level: 'fallback', setprivPath, unsharePath, weakness: 'bubblewrap (bwrap) is not installed: apt-get install bubblewrap' };
  }
  const failure = await probeBwrap(bwrapPath, setprivPath);
  if (failure) return { level: 'fallback', setprivPath, unsharePath, weakness: `bubblewrap does not work here (${failure})` };
  return { level: 'bwrap', bwrapPath, setprivPath };
}

let detected: Promise<Isolation> | undefined;
let detectedFor: string | undefined;
let warned = false;

/** The strongest isolation this machine offers, detected once per process (per STARLOOP_BWRAP value). */
export function detectIsolation(): Promise<Isolation> {
  const key = process.env[BWRAP_ENV] ?? '';
  if (!detected || detectedFor !== key) {
    detected = detect();
    detectedFor = key;
  }
  return detected;
}

/**
 * Isolation for a run. Strict mode (option or STARLOOP_SANDBOX_STRICT=1) refuses anything weaker
 * than bubblewrap; otherwise the weaker fallback is used after one warning on stderr.
 */
export async function requireIsolation(strict: boolean): Promise<Isolation> {
  const isolation = await detectIsolation();
  if (isolation.level === 'bwrap') return isolation;
  if (strict || strictFromEnv()) {
    throw new SandboxError('SANDBOX_UNAVAILABLE', `strict sandboxing was required but is not available: ${isolation.weakness}`);
  }
  if (!warned) {
    warned = true;
    process.stderr.write(
      `starloop: WARNING: untrusted code runs with weak isolation (rlimits, empty environment${isolation.setprivPath ? ', unprivileged uid' : ''}${isolation.unsharePath ? ', no network' : ''}; the host file system stays visible): ${isolation.weakness}. Set ${STRICT_ENV}=1 to refuse instead.\n`,
    );
  }
  return isolation;
}
