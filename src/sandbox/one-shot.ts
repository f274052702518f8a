import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Socket } from 'node:net';
import { addressSpaceMb, buildLaunch, interpreterArgv } from './command.ts';
import type { Isolation } from './isolation.ts';
import { resolveLimits } from './limits.ts';
import { type SandboxJob, type SandboxOutcome, hasPassed, launchFailure } from './outcome.ts';
import { OutputBudget } from './output.ts';

/** Grace for the last output to drain after the sandbox exits, before its pipes are dropped. */
const DRAIN_MS = 50;

async function prepareHostWorkDir(isolation: Isolation, uid: number): Promise<string> {
  if (isolation.level === 'bwrap') return '/';
  const dir = await mkdtemp(path.join(tmpdir(), 'starloop-sandbox-'));
  if (isolation.setprivPath) await chown(dir, uid, uid);
  return dir;
}

function killTree(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    // The child leads its own process group; bubblewrap's --die-with-parent then tears down the
    // sandbox's PID namespace, which takes daemonized grandchildren with it.
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Runs one job in a fresh sandbox process (one bubblewrap start per task). */
export async function runOneShot(job: SandboxJob, isolation: Isolation, uid: number): Promise<SandboxOutcome> {
  const limits = resolveLimits(job.limits);
  const nonce = randomBytes(16).toString('hex');
  const hostWorkDir = await prepareHostWorkDir(isolation, uid);
  const launch = buildLaunch({
    isolation,
    uid,
    limits,
    argv: interpreterArgv(job.runtime, isolation, limits),
    applyRlimits: { addressSpaceMb: addressSpaceMb(job.runtime, limits) },
    hostWorkDir,
  });
  const started = performance.now();
  try {
    return await new Promise<SandboxOutcome>((resolve) => {
      const child = spawn(launch.file, launch.args, {
        cwd: launch.cwd,
        env: launch.env,
        stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
        detached: true,
      });
      let timedOut = false;
      let echo = '';
      const budget = new OutputBudget(limits.maxOutputBytes, () => killTree(child.pid));
      const stdout = budget.collector();
      const stderr = budget.collector();
      const signalPipe = child.stdio[3] as Socket;
      const timer = setTimeout(() => {
        timedOut = true;
        killTree(child.pid);
      }, limits.wallMs);
      const onAbort = () => killTree(child.pid);
      job.signal?.addEventListener('abort', onAbort, { once: true });
      child.stdout.on('data', stdout.push);
      child.stderr.on('data', stderr.push);
      signalPipe.on('data', (chunk: Buffer) => (echo += chunk.toString('utf8').slice(0, 4096)));
      for (const stream of [child.stdin, child.stdout, child.stderr, signalPipe]) stream.on('error', () => {});
      signalPipe.write(`${nonce}\n`);
      child.stdin.end(JSON.stringify({ code: job.code, tests: job.tests, entryPoint: job.entryPoint }));
      let finished = false;
      let exitedAt: number | undefined;
      const finish = (exitCode: number | null, signal: string | null, sandboxFailure?: string) => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        job.signal?.removeEventListener('abort', onAbort);
        for (const stream of [child.stdout, child.stderr, signalPipe]) stream.destroy();
        const outputExceeded = budget.exceeded;
        const failure = sandboxFailure ?? launchFailure(echo, timedOut, outputExceeded, stderr.text());
        resolve({
          passed: !timedOut && !outputExceeded && hasPassed(exitCode, echo, nonce),
          exitCode,
          signal,
          timedOut,
          outputExceeded,
          ...(failure ? { sandboxFailure: failure } : {}),
          stdout: stdout.text(),
          stderr: stderr.text(),
          durationMs: (exitedAt ?? performance.now()) - started,
          isolation: isolation.level,
        });
      };
      child.on('error', (error) => finish(null, null, `could not start the sandbox: ${error.message}`));
      child.on('exit', (code, signal) => {
        exitedAt = performance.now();
        // Without bubblewrap's PID namespace, leftovers that kept the process group die here.
        if (isolation.level !== 'bwrap') killTree(child.pid);
        // 'close' follows once the pipes drain; a leftover holding them open must not stall the verdict.
        setTimeout(() => finish(code, signal), DRAIN_MS);
      });
      child.on('close', (code, signal) => finish(code, signal));
    });
  } finally {
    if (hostWorkDir !== '/') await rm(hostWorkDir, { recursive: true, force: true });
  }
}
