import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { RunStoreError } from '../../src/errors.ts';
import { acquireRunLock } from '../../src/store/lock.ts';
import { tempDir } from '../e2e/cli.ts';

test('a live lock is refused with the holder pid; release frees it', async () => {
  const dir = await tempDir();
  const path = join(dir, 'run.lock');
  const lock = await acquireRunLock(path, dir);
  await expect(acquireRunLock(path, dir)).rejects.toThrow(RunStoreError);
  await expect(acquireRunLock(path, dir)).rejects.toThrow(new RegExp(`process ${process.pid}`));
  lock.release();
  expect(existsSync(path)).toBe(false);
  (await acquireRunLock(path, dir)).release();
});

test('a lock left by a dead process (kill -9) is taken over', async () => {
  const dir = await tempDir();
  const path = join(dir, 'run.lock');
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
  writeFileSync(path, JSON.stringify({ pid: Number(dead), host: hostname(), since: 'earlier' }));
  const lock = await acquireRunLock(path, dir);
  lock.release();
});
