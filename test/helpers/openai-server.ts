import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChatMessage } from '../../src/schema/problem.ts';
import type { UploadedFile } from '../../src/serve/files.ts';
import { createServedModels } from '../../src/serve/models.ts';
import { startServer } from '../../src/serve/server.ts';
import { TrainerError } from '../../src/errors.ts';
import type { Trainer } from '../../src/trainer/trainer.ts';
import { type BatchRecord, createBatchService } from './batch-api.ts';
import { applyFaults, createFaultControl, type FaultControl, type Faults } from './faults.ts';
import { createLoraEndpoints, type LoraDialect } from './lora-endpoints.ts';
import { createScriptedPolicy, type ScriptedModelOptions } from './scripted-policy.ts';

export type { Faults } from './faults.ts';

export interface OpenAIServerOptions extends Partial<ScriptedModelOptions> {
  /** Base models served (default `['scripted-base']`). */
  models?: string[];
  faults?: Faults;
  /** How long a scripted fine-tuning job stays `running` (default 30 ms). */
  trainMs?: number;
  port?: number;
  log?: (line: string) => void;
  /** Runtime LoRA loading as vLLM (the default) or SGLang speak it; `false` answers those routes 404, as a server without it. */
  lora?: LoraDialect | false;
}

/** One request as the server received it (before any fault changed it). */
export interface RecordedRequest {
  method: string;
  path: string;
  at: number;
  body: unknown;
  model?: string;
  /** `prompt` of a completion request. */
  prompt?: unknown;
  messages?: ChatMessage[];
  n?: number;
  seed?: number;
  /** Set when an injected fault answered this request. */
  fault?: string;
  /** The batch (Batch API) this request is a line of. */
  batch?: string;
}

export interface OpenAITestServer {
  /** The OpenAI base URL: `http://127.0.0.1:PORT/v1`. */
  url: string;
  port: number;
  faults: FaultControl;
  requests: RecordedRequest[];
  /** Files uploaded so far, with their content. */
  uploads(): UploadedFile[];
  /** LoRA adapters loaded now: name → path. */
  adapters: ReadonlyMap<string, string>;
  /** Requests being answered now, and the most ever answered at once. */
  stats: { inFlight: number; maxInFlight: number };
  /** Batch API batches created so far. */
  batches(): BatchRecord[];
  close(): Promise<void>;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });

function scriptedTrainer(faults: FaultControl, trainMs: number): Trainer {
  return {
    id: 'scripted',
    async train(request) {
      const failure = faults.get().failFineTune;
      const steps = 3;
      for (let step = 1; step <= steps; step++) {
        await sleep(trainMs / steps, request.signal);
        request.onProgress?.({ stage: 'step', done: step, total: steps, message: `loss=${(1 / step).toFixed(3)}` });
      }
      if (failure !== undefined) throw new TrainerError(failure);
      return { model: `tuned:${request.start.model}` };
    },
  };
}

/**
 * A real OpenAI-compatible HTTP server for tests and demos: starloop's own `serve` core with a
 * scripted model (see scripted-policy.ts), a scripted trainer and switchable faults.
 */
export async function startOpenAIServer(options: OpenAIServerOptions = {}): Promise<OpenAITestServer> {
  const model: ScriptedModelOptions = {
    answers: options.answers ?? {},
    ...(options.accuracy ? { accuracy: options.accuracy } : {}),
    ...(options.hintFollow !== undefined ? { hintFollow: options.hintFollow } : {}),
    ...(options.hintQuote !== undefined ? { hintQuote: options.hintQuote } : {}),
    ...(options.writer ? { writer: true } : {}),
  };
  const faults = createFaultControl(options.faults);
  const requests: RecordedRequest[] = [];
  const stats = { inFlight: 0, maxInFlight: 0 };
  const workDir = await mkdtemp(join(tmpdir(), 'starloop-openai-server-'));
  const bases = options.models ?? ['scripted-base'];
  const models = createServedModels(Object.fromEntries(bases.map((id) => [id, { model: id }])), (id) => createScriptedPolicy(model, id));
  const lora = options.lora === false ? undefined : createLoraEndpoints(options.lora ?? 'vllm', models, bases);

  const batches = createBatchService({ origin: () => new URL(server.url).origin, uploads: () => server.uploads(), faults });
  const server = await startServer({
    port: options.port ?? 0,
    models,
    trainer: scriptedTrainer(faults, options.trainMs ?? 30),
    methods: ['supervised', 'dpo'],
    workDir,
    ...(options.log ? { log: options.log } : {}),
    async hook(request, response) {
      stats.inFlight++;
      stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
      response.on('close', () => stats.inFlight--);
      const body = (typeof request.body === 'object' && request.body !== null ? request.body : {}) as Record<string, unknown>;
      const recorded: RecordedRequest = {
        method: request.method,
        path: request.path,
        at: Date.now(),
        body: request.body === undefined ? undefined : structuredClone(request.body),
        ...(typeof body.model === 'string' ? { model: body.model } : {}),
        ...('prompt' in body ? { prompt: body.prompt } : {}),
        ...(Array.isArray(body.messages) ? { messages: body.messages as ChatMessage[] } : {}),
        ...(typeof body.n === 'number' ? { n: body.n } : {}),
        ...(typeof body.seed === 'number' ? { seed: body.seed } : {}),
        ...(typeof request.headers['x-starloop-batch'] === 'string' ? { batch: request.headers['x-starloop-batch'] } : {}),
      };
      requests.push(recorded);
      const fault = await applyFaults(faults, request, response);
      if (fault !== undefined) {
        recorded.fault = fault;
        return 'handled';
      }
      if (await batches.handle(request, response)) return 'handled';
      return lora?.handle(request, response);
    },
  });

  return {
    url: server.url,
    port: server.port,
    faults,
    requests,
    uploads: server.uploads,
    adapters: lora?.adapters ?? new Map(),
    stats,
    batches: batches.batches,
    async close() {
      await batches.stop();
      await server.close();
      await rm(workDir, { recursive: true, force: true });
    },
  };
}
