import { chmodSync, closeSync, constants, lstatSync, mkdtempSync, openSync, readFileSync, readdirSync, realpathSync, rmSync, writeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SandboxError } from '../errors.ts';

const SOURCE_DIR = fileURLToPath(new URL('./runners/', import.meta.url));
const RUNNER_FILE = /\.(py|mjs)$/;

export interface RunnerDir {
  dir: string;
  files: Array<{ name: string; size: number }>;
}

let published: RunnerDir | undefined;

function owner(): number {
  return process.getuid?.() ?? 0;
}

/** Owned by root or us, and writable by nobody else: no other user can change or replace it. */
function trusted(stat: { uid: number; mode: number }): boolean {
  return (stat.uid === 0 || stat.uid === owner()) && (stat.mode & 0o022) === 0;
}

/**
 * The installed package's own runner directory, when every directory on its (real) path is
 * trusted and other users may traverse it: then the sandbox binds it as it is, and no copy exists.
 */
function installedDir(source: string, names: string[]): RunnerDir | undefined {
  const dir = realpathSync(source);
  let current = '/';
  for (const part of ['', ...dir.split('/').filter(Boolean)]) {
    current = path.join(current, part);
    const stat = lstatSync(current);
    if (!stat.isDirectory() || !trusted(stat) || (stat.mode & 0o001) === 0) return undefined;
  }
  if ((lstatSync(dir).mode & 0o004) === 0) return undefined;
  const files = names.map((name) => ({ name, stat: lstatSync(path.join(dir, name)) }));
  if (!files.every(({ stat }) => stat.isFile() && trusted(stat) && (stat.mode & 0o004) !== 0)) return undefined;
  return { dir, files: files.map(({ name, stat }) => ({ name, size: stat.size })) };
}

/** A parent where another user could rename or replace our directory is no place for it. */
function assertSafeParent(parent: string): void {
  const stat = lstatSync(parent);
  const othersWrite = (stat.mode & 0o002) !== 0;
  const sticky = (stat.mode & 0o1000) !== 0;
  if (!stat.isDirectory() || (othersWrite && !sticky)) {
    throw new SandboxError('SANDBOX_FAILED', `${parent} is writable by other users without the sticky bit: the sandbox runner files cannot be kept there safely (set TMPDIR)`);
  }
}

/** Chooses where the runner scripts in `source` are bound from (see runnerDir). */
export function publishRunners(source: string): RunnerDir {
  const names = readdirSync(source).filter((name) => RUNNER_FILE.test(name));
  const installed = installedDir(source, names);
  if (installed) return installed;
  const parent = tmpdir();
  assertSafeParent(parent);
  // mkdtemp: a fresh, unpredictable name, created 0700 by us; opened up to 0755 once filled, so the
  // unprivileged sandbox uid can read it and nobody else can change it.
  const dir = mkdtempSync(path.join(parent, 'starloop-runners-'));
  const files = names.map((name) => {
    const content = readFileSync(path.join(source, name));
    const fd = openSync(path.join(dir, name), constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
    try {
      writeSync(fd, content);
    } finally {
      closeSync(fd);
    }
    return { name, size: content.length };
  });
  chmodSync(dir, 0o755);
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return { dir, files };
}

/** Not a symlink, writable by nobody else, and still holding the files it held when chosen. */
export function intact({ dir, files }: RunnerDir): boolean {
  try {
    const stat = lstatSync(dir);
    if (!stat.isDirectory() || !trusted(stat)) return false;
    return files.every(({ name, size }) => {
      const file = lstatSync(path.join(dir, name));
      return file.isFile() && trusted(file) && file.size === size;
    });
  } catch {
    return false;
  }
}

/**
 * Where the sandbox binds the runner scripts from: the installed package itself when no other
 * user can change it and the unprivileged sandbox uid can read it; otherwise a private copy made
 * for this process (mkdtemp, O_EXCL | O_NOFOLLOW; a project under /root, say). Either is checked
 * with lstat before every sandbox start; one that changed is an error, never used. There is no
 * shared, predictable path another local user could plant or swap.
 */
export function runnerDir(): string {
  published ??= publishRunners(SOURCE_DIR);
  if (!intact(published)) {
    throw new SandboxError('SANDBOX_FAILED', `the sandbox runner directory ${published.dir} changed since this process started (another user, or an update of the package); refusing to run`);
  }
  return published.dir;
}
