import { closeSync, constants, lstatSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, writeSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SandboxError } from '../errors.ts';

const SOURCE_DIR = new URL('./runners/', import.meta.url);
const RUNNER_FILE = /\.(py|mjs)$/;

interface Published {
  dir: string;
  files: Array<{ name: string; size: number }>;
}

let published: Published | undefined;

function owner(): number {
  return process.getuid?.() ?? 0;
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

function publish(): Published {
  const parent = tmpdir();
  assertSafeParent(parent);
  // mkdtemp: a fresh, unpredictable name, created 0700 by us; opened up to 0755 once filled, so the
  // unprivileged sandbox uid can read it and nobody else can change it.
  const dir = mkdtempSync(path.join(parent, 'starloop-runners-'));
  const names = readdirSync(SOURCE_DIR).filter((name) => RUNNER_FILE.test(name));
  const files = names.map((name) => {
    const content = readFileSync(new URL(name, SOURCE_DIR));
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

/** Ours, not a symlink, writable by nobody else, and still holding exactly what we wrote. */
function intact({ dir, files }: Published): boolean {
  try {
    const stat = lstatSync(dir);
    if (!stat.isDirectory() || stat.uid !== owner() || (stat.mode & 0o022) !== 0) return false;
    if (readdirSync(dir).length !== files.length) return false;
    return files.every(({ name, size }) => {
      const file = lstatSync(path.join(dir, name));
      return file.isFile() && file.uid === owner() && (file.mode & 0o022) === 0 && file.size === size && file.nlink === 1;
    });
  } catch {
    return false;
  }
}

/**
 * The runner scripts, copied into a private directory of this process (the sandbox runs as an
 * unprivileged uid that may not be able to read the checkout, a project under /root say). It is
 * checked with lstat before every sandbox start; a directory that changed is an error, never used.
 */
export function runnerDir(): string {
  published ??= publish();
  if (!intact(published)) {
    throw new SandboxError('SANDBOX_FAILED', `the sandbox runner directory ${published.dir} was changed by someone else; refusing to run`);
  }
  return published.dir;
}
