import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { RunStoreError } from '../errors.ts';

export interface RunLock {
  release(): void;
}

/**
 * An exclusive lock on a run directory: a file created with O_EXCL holding our pid. A lock left
 * by a process that no longer exists (killed with -9) is taken over; a live one is refused.
 */
export function acquireRunLock(lockPath: string, runDir: string): RunLock {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(lockPath, JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() }), { flag: 'wx' });
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        process.off('exit', release);
        try {
          unlinkSync(lockPath);
        } catch {
          // Already gone: nothing to release.
        }
      };
      process.on('exit', release);
      return { release };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readHolder(lockPath);
      if (holder && holder.host === hostname() && isAlive(holder.pid)) {
        throw new RunStoreError(
          'RUN_LOCKED',
          `run directory ${runDir} is in use by process ${holder.pid} (since ${holder.since}); wait for it to finish or stop it first`,
        );
      }
      if (holder && holder.host !== hostname()) {
        throw new RunStoreError('RUN_LOCKED', `run directory ${runDir} is locked by host ${holder.host} (pid ${holder.pid}); remove ${lockPath} if that run is gone`);
      }
      try {
        unlinkSync(lockPath);
      } catch {
        // Another process took the stale lock first; the next attempt sees its lock.
      }
    }
  }
  throw new RunStoreError('RUN_LOCKED', `could not lock run directory ${runDir}`);
}

function readHolder(lockPath: string): { pid: number; host: string; since: string } | undefined {
  try {
    const value = JSON.parse(readFileSync(lockPath, 'utf8'));
    if (typeof value?.pid === 'number') return { pid: value.pid, host: String(value.host), since: String(value.since) };
  } catch {
    // An empty or torn lock file is stale by definition.
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
