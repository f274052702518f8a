/** Messages between a plug-in verifier's worker thread and the main thread; every value crosses as structured-cloned data. */
import type { Problem } from '../schema/problem.ts';

/** What the main thread learns of a plug-in when its module has loaded in the worker. */
export interface PluginMeta {
  id: string;
  description: string;
  version: string;
  timeoutMs?: number;
}

/**
 * Options as verify() gets them: parsed in the worker, where the schema lives. `token` names the
 * parse result that worker kept (so verify() gets the schema's very output, class instances and
 * all); `raw` is parsed again by a worker started after the one that kept it stopped.
 * `value` is options given without a parse through the plug-in's schema, passed as they are.
 */
export type OptionsRef = { token: number; raw: unknown } | { value: unknown };

export type ToWorker =
  | { type: 'verify'; id: number; problem: Problem; candidate: string; options: OptionsRef; timeoutMs: number }
  | { type: 'abort'; id: number }
  | { type: 'ping'; id: number }
  | { type: 'dispose'; id: number };

export type FromWorker =
  | { type: 'loaded'; meta: PluginMeta }
  | { type: 'load-failed'; message: string }
  | { type: 'result'; id: number; outcome: unknown }
  | { type: 'threw'; id: number; message: string }
  | { type: 'pong'; id: number }
  | { type: 'disposed'; id: number; message?: string };

/** An option parse, asked for synchronously on its own port (see plugin-host.ts). */
export interface ParseRequest {
  id: number;
  raw: unknown;
}

export type ParseReply =
  | { id: number; success: true; token: number; data: unknown; cloned: boolean }
  | { id: number; success: false; issues: { path: (string | number)[]; message: string }[] }
  | { id: number; failed: string };
