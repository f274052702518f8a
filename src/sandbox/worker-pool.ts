import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { SandboxError } from '../errors.ts';
import { PYTHON_PATH, addressSpaceMb, buildLaunch, interpreterArgv, runnerPath } from './command.ts';
import type { Isolation } from './isolation.ts';
import { type ResolvedLimits, resolveLimits } from './limits.ts';
import { type SandboxJob, type SandboxOutcome, hasPassed, launchFailure } from './outcome.ts';

/** Host-side grace beyond the wall limit before a silent worker is presumed stuck and replaced. */
const WORKER_GRACE_MS = 3_000;
const WORKER_START_MS = 10_000;

const WorkerReply = z.union([
  z.object({
    id: z.string(),
    exitCode: z.number().int().nullable(),
    signal: z.string().nullable(),
    timedOut: z.boolean(),
    outputExceeded: z.boolean(),
    stdout: z.string(),
    stderr: z.string(),
    echo: z.string(),
    durationMs: z.number(),
  }),
  z.object({ id: z.string().nullable(), workerError: z.string() }),
]);

interface Pending {
  resolve(line: string): void;
  reject(error: Error): void;
}

/**
 * One pool slot: a long-lived bubblewrap sandbox (its own uid) running runners/worker.py, which
 * forks once per task. Tasks are sent one at a time; a worker that breaks protocol, dies or
 * overruns is killed and the slot starts a fresh one on its next task.
 */
export class WorkerSlot {
  #child: ChildProcessWithoutNullStreams | undefined;
  #ready: Promise<void> | undefined;
  #pending: Pending | undefined;
  #stderr = '';

  constructor(
    readonly uid: number,
    private readonly isolation: Isolation,
    private readonly sandboxLimits: ResolvedLimits,
  ) {}

  #start(): Promise<void> {
    const launch = buildLaunch({
      isolation: this.isolation,
      uid: this.uid,
      limits: this.sandboxLimits,
      argv: [PYTHON_PATH, '-I', '-B', runnerPath(this.isolation, 'worker.py')],
      hostWorkDir: '/',
    });
    const child = spawn(launch.file, launch.args, { cwd: launch.cwd, env: launch.env, stdio: 'pipe', detached: true });
    this.#child = child;
    this.#stderr = '';
    // An idle worker must not keep the host process alive; a task in flight holds its own timer.
    child.unref();
    for (const stream of [child.stdin, child.stdout, child.stderr]) (stream as unknown as Socket).unref();
    child.stderr.on('data', (chunk: Buffer) => (this.#stderr = (this.#stderr + chunk.toString()).slice(-2000)));
    child.stdin.on('error', () => {});
    const lines = createInterface({ input: child.stdout });
    let onReady: ((line: string) => void) | undefined;
    lines.on('line', (line) => {
      if (this.#child !== child) return;
      if (onReady) return onReady(line);
      const pending = this.#pending;
      this.#pending = undefined;
      pending?.resolve(line);
    });
    child.on('exit', (code, signal) => {
      // A replaced worker's late exit must not fail the work of its successor.
      if (this.#child !== child) return;
      this.#child = undefined;
      this.#ready = undefined;
      const pending = this.#pending;
      this.#pending = undefined;
      pending?.reject(new Error(`sandbox worker exited (${signal ?? code}): ${this.#stderr.trim()}`));
    });
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('sandbox worker did not start in time')), WORKER_START_MS);
      this.#pending = { resolve: () => {}, reject: (error) => (clearTimeout(timer), reject(error)) };
      onReady = (line) => {
        onReady = undefined;
        this.#pending = undefined;
        clearTimeout(timer);
        if (line.includes('"ready"')) resolve();
        else reject(new Error(`sandbox worker said '${line.slice(0, 200)}' instead of ready`));
      };
    });
  }

  /** Kills the slot's sandbox; its PID namespace takes every task process with it. */
  kill(): void {
    const child = this.#child;
    this.#child = undefined;
    this.#ready = undefined;
    if (child?.pid !== undefined) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }

  async run(job: SandboxJob): Promise<SandboxOutcome> {
    const limits = resolveLimits(job.limits);
    const started = performance.now();
    try {
      this.#ready ??= this.#start();
      await this.#ready;
    } catch (error) {
      this.kill();
      throw new SandboxError('SANDBOX_FAILED', `could not start a sandbox worker: ${(error as Error).message}`, { cause: error });
    }
    const nonce = randomBytes(16).toString('hex');
    const id = randomBytes(6).toString('hex');
    const task = {
      id,
      nonce,
      runtime: job.runtime,
      code: job.code,
      tests: job.tests,
      entryPoint: job.entryPoint ?? null,
      limits,
      argv: interpreterArgv(job.runtime, this.isolation, limits),
      addressSpaceMb: addressSpaceMb(job.runtime, limits),
    };
    const failure = (reason: string): SandboxOutcome => ({
      passed: false,
      exitCode: null,
      signal: null,
      timedOut: false,
      outputExceeded: false,
      sandboxFailure: reason,
      stdout: '',
      stderr: '',
      durationMs: performance.now() - started,
      isolation: this.isolation.level,
    });
    let line: string;
    try {
      line = await this.#exchange(JSON.stringify(task), limits.wallMs + WORKER_GRACE_MS, job.signal);
    } catch (error) {
      this.kill();
      return failure((error as Error).message);
    }
    let reply: z.infer<typeof WorkerReply>;
    try {
      reply = WorkerReply.parse(JSON.parse(line));
    } catch {
      this.kill();
      return failure(`sandbox worker broke protocol: ${line.slice(0, 200)}`);
    }
    if ('workerError' in reply) {
      this.kill();
      return failure(`sandbox worker failed: ${reply.workerError}`);
    }
    if (reply.id !== id) {
      this.kill();
      return failure('sandbox worker answered another task');
    }
    const stderr = Buffer.from(reply.stderr, 'base64').toString('utf8');
    const notStarted = launchFailure(reply.echo, reply.timedOut, reply.outputExceeded, stderr);
    return {
      ...(notStarted ? { sandboxFailure: notStarted } : {}),
      passed: !reply.timedOut && !reply.outputExceeded && hasPassed(reply.exitCode, reply.echo, nonce),
      exitCode: reply.exitCode,
      signal: reply.signal,
      timedOut: reply.timedOut,
      outputExceeded: reply.outputExceeded,
      stdout: Buffer.from(reply.stdout, 'base64').toString('utf8'),
      stderr,
      durationMs: reply.durationMs,
      isolation: this.isolation.level,
    };
  }

  #exchange(message: string, timeoutMs: number, signal: AbortSignal | undefined): Promise<string> {
    const child = this.#child;
    if (!child) return Promise.reject(new Error('sandbox worker is not running'));
    return new Promise<string>((resolve, reject) => {
      const cleanup = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      const timer = setTimeout(() => {
        this.#pending = undefined;
        cleanup();
        reject(new Error(`sandbox worker did not answer within ${timeoutMs} ms`));
      }, timeoutMs);
      const onAbort = () => {
        this.#pending = undefined;
        cleanup();
        reject(new Error('aborted'));
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#pending = {
        resolve: (line) => (cleanup(), resolve(line)),
        reject: (error) => (cleanup(), reject(error)),
      };
      child.stdin.write(`${message}\n`);
    });
  }
}
