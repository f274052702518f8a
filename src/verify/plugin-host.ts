import { MessageChannel, receiveMessageOnPort, type MessagePort, type Worker } from 'node:worker_threads';
import { startWorker } from '../util/worker.ts';
import type { z } from 'zod';
import { VerifierError } from '../errors.ts';
import type { Problem } from '../schema/problem.ts';
import type { AnyVerifier, VerdictResult, VerifyContext } from './define.ts';
import type { FromWorker, OptionsRef, ParseReply, PluginMeta, ToWorker } from './plugin-protocol.ts';

/** Importing a plug-in compiles it (tsx) along with what it imports; a module still loading after this is stuck. */
const LOAD_LIMIT_MS = 60_000;
/** A parse in a loaded worker is a zod call; one still unanswered after this means the worker is stuck. */
const PARSE_LIMIT_MS = 10_000;
/** After a call's time limit, how long the worker has to answer a ping before it counts as hung. */
const HANG_GRACE_MS = 2_000;
const DISPOSE_LIMIT_MS = 10_000;
/** A plug-in that allocates without end loses its thread, not starloop's process. */
const HEAP_LIMIT_MB = 2_048;


type Reply = Extract<FromWorker, { id: number }>;

/**
 * A plug-in's worker may be (re)loading when a call comes; callers that time a call wait on this
 * first, so that loading a module never counts against a verify call's own limit.
 */
const ready = Symbol('starloop.pluginReady');

/** Resolves when `verifier` can take a call at once (plug-ins only; a built-in always can). */
export async function verifierReady(verifier: AnyVerifier): Promise<void> {
  await (verifier as { [ready]?: () => Promise<void> })[ready]?.();
}

/** One worker thread running the plug-in; replaced by a fresh one when it ends or hangs. */
interface Thread {
  worker: Worker;
  parsePort: MessagePort;
  parseDone: Int32Array;
  loaded: Promise<PluginMeta>;
  isLoaded: boolean;
  calls: Map<number, (reply: Reply | Error) => void>;
  /** Why the thread ended (or is being ended); set once. */
  ended?: string;
  /** Set while a ping decides whether a call that ran past its limit left the worker hung. */
  hangCheck: Promise<void> | undefined;
}

/**
 * Starts the worker thread for the plug-in in `file` and returns a verifier that forwards to it:
 * same id, description, version, time limit and verify() as the plug-in's, with an options
 * schema whose safeParse() runs the plug-in's own schema in the worker (synchronously, so option
 * errors surface before a run starts). A verify call past its time limit that leaves the worker
 * unresponsive, a plug-in that ends its thread (process.exit included) or crashes it: each call
 * then in flight rejects (an `error` verdict), and the next call starts a fresh worker.
 */
export async function startPluginHost(file: string): Promise<AnyVerifier> {
  const host = new PluginHost(file);
  const meta = await host.start();
  const options = { safeParse: (raw: unknown) => host.parse(raw) } as unknown as z.ZodType;
  const verifier: AnyVerifier & { [ready]: () => Promise<void> } = {
    ...meta,
    [ready]: () => host.ready(),
    options,
    // What comes back is the plug-in's return value as data, checked by runVerifier like any verifier's.
    verify: (problem, candidate, parsed, context) => host.verify(problem, candidate, parsed, context) as Promise<VerdictResult>,
    // Always present: the worker must stop even when the plug-in has nothing to release.
    dispose: () => host.dispose(),
  };
  return verifier;
}

type ParseResult = { success: true; data: unknown } | { success: false; error: { issues: { path: (string | number)[]; message: string }[] } };

function cacheKey(raw: unknown): string | undefined {
  try {
    return JSON.stringify(raw) ?? 'undefined';
  } catch {
    return undefined;
  }
}

class PluginHost {
  readonly #file: string;
  #name: string;
  #thread: Thread | undefined;
  #nextId = 0;
  /** Parsed options handed out by safeParse → what a worker needs to find or rebuild them. */
  readonly #optionRefs = new WeakMap<object, { token: number; raw: unknown }>();
  readonly #parsed = new Map<string, ParseResult>();

  constructor(file: string) {
    this.#file = file;
    this.#name = `verifier plug-in ${file}`;
  }

  async start(): Promise<PluginMeta> {
    const meta = await this.#loaded(this.#spawn());
    this.#name = `verifier '${meta.id}'`;
    return meta;
  }

  async ready(): Promise<void> {
    await this.#live()?.hangCheck;
    await this.#loaded(this.#live() ?? this.#spawn());
  }

  /** The plug-in's schema applied to `raw`, in the worker; the same options are parsed once. */
  parse(raw: unknown): ParseResult {
    const key = cacheKey(raw);
    const cached = key === undefined ? undefined : this.#parsed.get(key);
    if (cached) return cached;
    let thread = this.#live() ?? this.#spawn();
    const suspect = thread.hangCheck !== undefined;
    let reply = this.#askParse(thread, raw, thread.isLoaded ? PARSE_LIMIT_MS : LOAD_LIMIT_MS, suspect);
    if (reply === undefined && suspect) {
      // A call on this worker is past its limit and it does not answer: it is hung. (Waiting here
      // blocks the main thread, so the asynchronous hang check cannot get to stop it first.)
      void this.#stop(thread, `hung past its time limit (no answer for ${HANG_GRACE_MS} ms more); its worker thread was stopped`);
      thread = this.#spawn();
      reply = this.#askParse(thread, raw, LOAD_LIMIT_MS, false);
    }
    if (reply === undefined) {
      void this.#stop(thread, 'did not answer an options parse');
      throw new VerifierError('VERIFIER_PLUGIN', `${this.#name} did not parse options in time; its worker was stopped`);
    }
    if ('failed' in reply) throw new VerifierError('VERIFIER_PLUGIN', `${this.#name}: ${reply.failed}`);
    let result: ParseResult;
    if (!reply.success) result = { success: false, error: { issues: reply.issues } };
    else {
      const data = reply.cloned ? reply.data : Object.freeze({ note: 'options parsed in the plug-in worker' });
      if (typeof data === 'object' && data !== null) this.#optionRefs.set(data, { token: reply.token, raw });
      result = { success: true, data };
    }
    if (key !== undefined) this.#parsed.set(key, result);
    return result;
  }

  /** Posts a parse and blocks until its reply (see plugin-worker.ts) or `limitMs`; undefined when none came. */
  #askParse(thread: Thread, raw: unknown, limitMs: number, suspect: boolean): ParseReply | undefined {
    const id = this.#nextId++;
    Atomics.store(thread.parseDone, 0, 0);
    thread.parsePort.postMessage({ id, raw });
    const deadline = Date.now() + (suspect ? HANG_GRACE_MS : limitMs);
    for (;;) {
      const received = receiveMessageOnPort(thread.parsePort);
      if (received) {
        const reply = received.message as ParseReply;
        if (reply.id === id) return reply;
        continue;
      }
      const left = deadline - Date.now();
      if (left <= 0) return undefined;
      Atomics.wait(thread.parseDone, 0, 0, left);
      Atomics.store(thread.parseDone, 0, 0);
    }
  }

  async verify(problem: Problem, candidate: string, options: unknown, context: VerifyContext): Promise<unknown> {
    const thread = this.#live() ?? this.#spawn();
    await this.#loaded(thread);
    const id = this.#nextId++;
    const ref: OptionsRef = (typeof options === 'object' && options !== null && this.#optionRefs.get(options)) || { value: options };
    return new Promise<unknown>((resolve, reject) => {
      const finish = () => {
        clearTimeout(timer);
        context.signal.removeEventListener('abort', onLimit);
        this.#release(thread, id);
      };
      const onLimit = () => {
        finish();
        reject(new Error(`timed out after ${context.timeoutMs} ms`));
        this.#post(thread, { type: 'abort', id });
        this.#checkHang(thread);
      };
      // The caller's signal normally fires first; this one holds when a caller sets no limit.
      const timer = setTimeout(onLimit, Math.min(context.timeoutMs, 2 ** 31 - 1));
      context.signal.addEventListener('abort', onLimit, { once: true });
      this.#hold(thread, id, (reply) => {
        finish();
        if (reply instanceof Error) reject(reply);
        else if (reply.type === 'result') resolve(reply.outcome);
        else reject(new Error(reply.type === 'threw' ? reply.message : `unexpected ${reply.type} reply`));
      });
      this.#post(thread, { type: 'verify', id, problem, candidate, options: ref, timeoutMs: context.timeoutMs });
    });
  }

  async dispose(): Promise<void> {
    const thread = this.#live();
    if (!thread) return;
    let failure: string | undefined;
    if (thread.isLoaded) {
      const reply = await this.#request(thread, 'dispose', DISPOSE_LIMIT_MS);
      if (reply instanceof Error) failure = reply.message;
      else if (reply.type === 'disposed' && reply.message !== undefined) failure = `${this.#name}: dispose failed: ${reply.message}`;
    }
    await this.#stop(thread, 'was disposed');
    if (failure !== undefined) throw new VerifierError('VERIFIER_PLUGIN', failure);
  }

  #live(): Thread | undefined {
    return this.#thread && this.#thread.ended === undefined ? this.#thread : undefined;
  }

  #spawn(): Thread {
    const channel = new MessageChannel();
    const shared = new SharedArrayBuffer(4);
    const worker = startWorker(import.meta.url, 'plugin-worker', {
      workerData: { file: this.#file, parsePort: channel.port2, parseDone: shared },
      transferList: [channel.port2],
      resourceLimits: { maxOldGenerationSizeMb: HEAP_LIMIT_MB },
    });
    let loaded!: { resolve: (meta: PluginMeta) => void; reject: (error: Error) => void };
    const thread: Thread = {
      worker,
      parsePort: channel.port1,
      parseDone: new Int32Array(shared),
      loaded: new Promise<PluginMeta>((resolve, reject) => {
        loaded = { resolve, reject };
      }),
      isLoaded: false,
      calls: new Map(),
      hangCheck: undefined,
    };
    // Rejections are handled by whoever awaits the load; this keeps an unawaited one quiet.
    thread.loaded.catch(() => undefined);
    worker.on('message', (message: FromWorker) => {
      if (message.type === 'loaded') {
        thread.isLoaded = true;
        if (thread.calls.size === 0) worker.unref();
        loaded.resolve(message.meta);
      } else if (message.type === 'load-failed') {
        thread.ended ??= 'failed to load';
        loaded.reject(new VerifierError('VERIFIER_PLUGIN', message.message));
        void worker.terminate();
      } else {
        thread.calls.get(message.id)?.(message);
      }
    });
    worker.on('error', (error) => {
      thread.ended ??= `crashed its worker thread: ${error.message}`;
    });
    worker.on('exit', (code) => {
      thread.ended ??= `ended its worker thread (exit code ${code}${code === 0 ? ', e.g. process.exit()' : ''})`;
      loaded.reject(new VerifierError('VERIFIER_PLUGIN', `${this.#name} ${thread.ended}`));
      const failure = new Error(thread.ended);
      for (const settle of [...thread.calls.values()]) settle(failure);
      thread.calls.clear();
      if (this.#thread === thread) this.#thread = undefined;
    });
    this.#thread = thread;
    return thread;
  }

  async #loaded(thread: Thread): Promise<PluginMeta> {
    if (thread.isLoaded) return thread.loaded;
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const why = `did not finish loading within ${LOAD_LIMIT_MS / 1000} s`;
        void this.#stop(thread, why);
        reject(new VerifierError('VERIFIER_PLUGIN', `${this.#name} ${why}`));
      }, LOAD_LIMIT_MS);
    });
    try {
      return await Promise.race([thread.loaded, limit]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** A call in flight keeps the process alive; an idle worker does not (a command that never disposes still exits). */
  #hold(thread: Thread, id: number, settle: (reply: Reply | Error) => void): void {
    thread.calls.set(id, settle);
    thread.worker.ref();
  }

  #release(thread: Thread, id: number): void {
    thread.calls.delete(id);
    if (thread.calls.size === 0 && thread.isLoaded) thread.worker.unref();
  }

  #post(thread: Thread, message: ToWorker): void {
    if (thread.ended !== undefined) {
      thread.calls.get(message.id)?.(new Error(thread.ended));
      return;
    }
    try {
      thread.worker.postMessage(message);
    } catch (error) {
      thread.calls.get(message.id)?.(new Error(`cannot send the call to ${this.#name}: ${(error as Error).message}`));
    }
  }

  /** A ping or dispose, answered by the worker or failed after `limitMs`. */
  #request(thread: Thread, type: 'ping' | 'dispose', limitMs: number): Promise<Reply | Error> {
    const id = this.#nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#release(thread, id);
        resolve(new Error(`${this.#name} did not answer a ${type} within ${limitMs} ms`));
      }, limitMs);
      this.#hold(thread, id, (reply) => {
        clearTimeout(timer);
        this.#release(thread, id);
        resolve(reply);
      });
      this.#post(thread, { type, id });
    });
  }

  /** After a time-out: a worker that cannot answer a ping is stuck in synchronous code, and only stopping it ends that. */
  #checkHang(thread: Thread): void {
    if (thread.hangCheck !== undefined || thread.ended !== undefined) return;
    thread.hangCheck = this.#request(thread, 'ping', HANG_GRACE_MS).then(async (reply) => {
      thread.hangCheck = undefined;
      if (reply instanceof Error && thread.ended === undefined) {
        await this.#stop(thread, `hung past its time limit (no answer for ${HANG_GRACE_MS} ms more); its worker thread was stopped`);
      }
    });
  }

  async #stop(thread: Thread, why: string): Promise<void> {
    thread.ended ??= why;
    if (this.#thread === thread) this.#thread = undefined;
    await thread.worker.terminate();
  }
}
