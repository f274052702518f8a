import { createHash } from 'node:crypto';
import { readFileSync, realpathSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { hostname } from 'node:os';
import { RunStoreError } from '../errors.ts';
import { runIoError, storeIo } from './io-error.ts';

export interface RunLock {
  release(): void;
}

interface Holder {
  pid: number;
  host: string;
  since: string;
}

/**
 * An exclusive lock on a run directory. On Linux the mutual exclusion is the kernel's: an
 * abstract-namespace socket named after the directory can be bound by one process at a time and
 * is freed the moment that process dies, even by `kill -9`, so there is no stale lock to take
 * over and no race between takers. `run.lock` only says who holds it (and refuses a holder on
 * another host sharing the file system, which the socket cannot see). Elsewhere a file created
 * with O_EXCL is the lock, and one left by a dead process is taken over.
 */
export async function acquireRunLock(lockPath: string, runDir: string): Promise<RunLock> {
  if (process.platform !== 'linux') return acquireFileLock(lockPath, runDir);
  const name = `\0starloop-run-${createHash('sha256').update(realpathSync(runDir)).digest('hex').slice(0, 40)}`;
  const server = await bindExclusive(name);
  if (!server) throw lockedError(readHolder(lockPath), lockPath, runDir);
  const holder = readHolder(lockPath);
  if (holder && holder.host !== hostname()) {
    server.close();
    throw lockedError(holder, lockPath, runDir);
  }
  try {
    storeIo(lockPath, () => writeFileSync(lockPath, JSON.stringify(currentHolder())));
  } catch (error) {
    server.close();
    throw error;
  }
  return releaser(lockPath, () => server.close());
}

/** Binds the socket, or returns undefined when another process holds it. */
function bindExclusive(name: string): Promise<Server | undefined> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => (error.code === 'EADDRINUSE' ? resolve(undefined) : reject(error)));
    server.listen(name, () => {
      // The lock must never keep a finished process alive.
      server.unref();
      resolve(server);
    });
  });
}

function acquireFileLock(lockPath: string, runDir: string): RunLock {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(lockPath, JSON.stringify(currentHolder()), { flag: 'wx' });
      return releaser(lockPath, () => {});
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw runIoError(lockPath, error);
      const holder = readHolder(lockPath);
      if (holder && (holder.host !== hostname() || isAlive(holder.pid))) throw lockedError(holder, lockPath, runDir);
      try {
        unlinkSync(lockPath);
      } catch {
        // Another process took the stale lock first; the next attempt sees its lock.
      }
    }
  }
  throw new RunStoreError('RUN_LOCKED', `could not lock run directory ${runDir}`);
}

function releaser(lockPath: string, unbind: () => void): RunLock {
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off('exit', release);
    unbind();
    try {
      unlinkSync(lockPath);
    } catch {
      // Already gone: nothing to release.
    }
  };
  process.on('exit', release);
  return { release };
}

function currentHolder(): Holder {
  return { pid: process.pid, host: hostname(), since: new Date().toISOString() };
}

function lockedError(holder: Holder | undefined, lockPath: string, runDir: string): RunStoreError {
  if (holder && holder.host !== hostname()) {
    return new RunStoreError('RUN_LOCKED', `run directory ${runDir} is locked by host ${holder.host} (pid ${holder.pid}); remove ${lockPath} if that run is gone`);
  }
  const who = holder ? `process ${holder.pid} (since ${holder.since})` : 'another process';
  return new RunStoreError('RUN_LOCKED', `run directory ${runDir} is in use by ${who}; wait for it to finish or stop it first`);
}

function readHolder(lockPath: string): Holder | undefined {
  try {
    const value = JSON.parse(readFileSync(lockPath, 'utf8'));
    if (typeof value?.pid === 'number') return { pid: value.pid, host: String(value.host), since: String(value.since) };
  } catch {
    // An empty or torn lock file names nobody.
  }
  return undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
