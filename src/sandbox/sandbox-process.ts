import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import { type Runtime, buildLaunch, nodeArgv } from './command.ts';
import type { Isolation } from './isolation.ts';
import { type ResolvedLimits, nodeAddressSpaceMb, resolveLimits } from './limits.ts';
import { type SandboxJob, type SandboxOutcome, SandboxReply, type TestMode, failedOutcome, outcomeFromReply } from './outcome.ts';

/** Host-side grace beyond the wall limit (the test process drains and cleans up after it) before a silent sandbox is presumed stuck. */
const HOST_GRACE_MS = 10_000;
const START_MS = 10_000;
/** An answer carries the capped output (base64) plus the tests' own output and failure text. */
const REPLY_OVERHEAD_BYTES = 24 * 1024 * 1024;
const STDERR_TAIL = 2_000;
const READY_LINE_BYTES = 4_096;

interface Pending {
  resolve(line: string): void;
  reject(error: Error): void;
}

/** Splits a stream into lines, refusing any line longer than `maxBytes` (a flood must not grow the host). */
class CappedLines {
  #chunks: Buffer[] = [];
  #size = 0;
  maxBytes: number;

  constructor(
    maxBytes: number,
    private readonly onLine: (line: string) => void,
    private readonly onOverflow: () => void,
  ) {
    this.maxBytes = maxBytes;
  }

  push(chunk: Buffer): void {
    let start = 0;
    for (let newline = chunk.indexOf(10); newline >= 0; newline = chunk.indexOf(10, start)) {
      const piece = chunk.subarray(start, newline);
      const line = this.#chunks.length ? Buffer.concat([...this.#chunks, piece]).toString('utf8') : piece.toString('utf8');
      this.#chunks = [];
      this.#size = 0;
      start = newline + 1;
      if (line.length > this.maxBytes) {
        this.onOverflow();
        return;
      }
      this.onLine(line);
    }
    const rest = chunk.subarray(start);
    this.#size += rest.length;
    if (this.#size > this.maxBytes) {
      this.onOverflow();
      return;
    }
    if (rest.length) this.#chunks.push(rest);
  }
}

export function addressSpaceMb(runtime: Runtime, limits: ResolvedLimits): number {
  return runtime === 'python' ? limits.memoryMb : nodeAddressSpaceMb(limits);
}

/**
 * One sandbox: a bubblewrap (or fallback) process tree whose first process is the test process
 * (runners/judge.py). Tasks go in one at a time as JSON lines on its stdin, answers come back on
 * its stdout. A sandbox that breaks protocol, exits, or overruns is killed; the owner starts a
 * new one for the next task.
 */
export class SandboxProcess {
  #child: ChildProcessWithoutNullStreams | undefined;
  #ready: Promise<void> | undefined;
  #pending: Pending | undefined;
  #stderr = '';
  #lines: CappedLines | undefined;
  #killed = false;

  constructor(
    readonly uid: number,
    private readonly isolation: Isolation,
    private readonly scratchMb: number,
    private readonly options: { hostWorkDir?: string; once?: boolean } = {},
  ) {}

  /** Killed (or dead): the owner starts a new sandbox for the next task. */
  get killed(): boolean {
    return this.#killed;
  }

  start(): Promise<void> {
    this.#ready ??= this.#spawn();
    return this.#ready;
  }

  #spawn(): Promise<void> {
    const launch = buildLaunch({
      isolation: this.isolation,
      uid: this.uid,
      scratchMb: this.scratchMb,
      hostWorkDir: this.options.hostWorkDir ?? '/',
      once: this.options.once ?? false,
    });
    const child = spawn(launch.file, launch.args, { cwd: launch.cwd, env: launch.env, stdio: 'pipe', detached: true });
    this.#child = child;
    // An idle sandbox must not keep the host process alive; a task in flight holds its own timer.
    child.unref();
    for (const stream of [child.stdin, child.stdout, child.stderr]) (stream as unknown as Socket).unref();
    child.stderr.on('data', (chunk: Buffer) => (this.#stderr = (this.#stderr + chunk.toString()).slice(-STDERR_TAIL)));
    child.stdin.on('error', () => {});
    let onReady: ((line: string) => void) | undefined;
    this.#lines = new CappedLines(
      READY_LINE_BYTES,
      (line) => {
        if (onReady) return onReady(line);
        const pending = this.#pending;
        this.#pending = undefined;
        pending?.resolve(line);
      },
      () => this.#fail(child, new Error('the sandbox sent an answer over its size limit')),
    );
    child.stdout.on('data', (chunk: Buffer) => {
      if (this.#child === child) this.#lines?.push(chunk);
    });
    child.on('error', (error) => this.#fail(child, new Error(`could not start the sandbox: ${error.message}`)));
    child.on('exit', (code, signal) => this.#fail(child, new Error(`the sandbox exited (${signal ?? code})${this.#stderr.trim() ? `: ${this.#stderr.trim()}` : ''}`)));
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => this.#fail(child, new Error('the sandbox did not start in time')), START_MS);
      this.#pending = { resolve: () => {}, reject: (error) => (clearTimeout(timer), reject(error)) };
      onReady = (line) => {
        onReady = undefined;
        this.#pending = undefined;
        clearTimeout(timer);
        if (line.trim() === '{"ready": true}') resolve();
        else reject(new Error(`the sandbox said '${line.slice(0, 200)}' instead of ready`));
      };
    });
  }

  /** Kills this sandbox's process tree (its PID namespace takes every task process with it). */
  kill(): void {
    this.#killed = true;
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

  #fail(child: ChildProcessWithoutNullStreams, error: Error): void {
    if (this.#child !== child) return;
    this.kill();
    const pending = this.#pending;
    this.#pending = undefined;
    pending?.reject(error);
  }

  async run(job: SandboxJob): Promise<SandboxOutcome> {
    const limits = resolveLimits(job.limits);
    const testMode: TestMode = job.testMode ?? 'separate-process';
    const started = performance.now();
    const failure = (reason: string) => failedOutcome(reason, testMode, this.isolation.level, performance.now() - started);
    try {
      await this.start();
    } catch (error) {
      return failure((error as Error).message);
    }
    const id = randomBytes(6).toString('hex');
    const task = {
      id,
      runtime: job.runtime,
      testMode,
      code: job.code,
      tests: job.tests,
      entryPoint: job.entryPoint ?? null,
      limits,
      nonce: randomBytes(16).toString('hex'),
      argv: job.runtime === 'node' ? nodeArgv(this.isolation, testMode === 'in-process' ? 'harness.mjs' : 'candidate-server.mjs', limits.memoryMb) : null,
      addressSpaceMb: addressSpaceMb(job.runtime, limits),
      testRunnerArgv: nodeArgv(this.isolation, 'test-runner.mjs', limits.memoryMb),
      testRunnerAddressSpaceMb: nodeAddressSpaceMb(limits),
    };
    if (this.#lines) this.#lines.maxBytes = limits.maxOutputBytes * 2 + REPLY_OVERHEAD_BYTES;
    let line: string;
    try {
      line = await this.#exchange(`${JSON.stringify(task)}\n`, limits.wallMs + HOST_GRACE_MS, job.signal);
    } catch (error) {
      this.kill();
      return failure((error as Error).message);
    }
    let reply: SandboxReply;
    try {
      reply = SandboxReply.parse(JSON.parse(line));
    } catch {
      this.kill();
      return failure(`the sandbox broke protocol: ${line.slice(0, 200)}`);
    }
    if ('sandboxError' in reply) {
      this.kill();
      return failure(`the sandbox failed: ${reply.sandboxError}`);
    }
    if (reply.id !== id) {
      this.kill();
      return failure('the sandbox answered another task');
    }
    // A task changed the limits of the test process: it exits after this answer; start afresh.
    if (reply.tampered) this.kill();
    return outcomeFromReply(reply, testMode, this.isolation.level);
  }

  #exchange(message: string, timeoutMs: number, signal: AbortSignal | undefined): Promise<string> {
    const child = this.#child;
    if (!child) return Promise.reject(new Error('the sandbox is not running'));
    return new Promise<string>((resolve, reject) => {
      const cleanup = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      const timer = setTimeout(() => {
        this.#pending = undefined;
        cleanup();
        reject(new Error(`the sandbox did not answer within ${timeoutMs} ms`));
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
      child.stdin.write(message);
    });
  }
}
