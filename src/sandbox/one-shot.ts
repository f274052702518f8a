import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Isolation } from './isolation.ts';
import { resolveLimits } from './limits.ts';
import type { SandboxJob, SandboxOutcome } from './outcome.ts';
import { SandboxProcess } from './sandbox-process.ts';

async function prepareHostWorkDir(isolation: Isolation, uid: number): Promise<string> {
  if (isolation.level === 'bwrap') return '/';
  const dir = await mkdtemp(path.join(tmpdir(), 'starloop-sandbox-'));
  if (isolation.setprivPath) await chown(dir, uid, uid);
  return dir;
}

/** Runs one job in a fresh sandbox (one bubblewrap start per task); the sandbox dies with the task. */
export async function runOneShot(job: SandboxJob, isolation: Isolation, uid: number): Promise<SandboxOutcome> {
  const hostWorkDir = await prepareHostWorkDir(isolation, uid);
  const sandbox = new SandboxProcess(uid, isolation, resolveLimits(job.limits).scratchMb, { hostWorkDir, once: true });
  try {
    return await sandbox.run(job);
  } finally {
    sandbox.kill();
    if (hostWorkDir !== '/') await rm(hostWorkDir, { recursive: true, force: true });
  }
}
