import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { ConfigError, ServerStartError } from '../errors.ts';
import type { Trainer } from '../trainer/trainer.ts';
import { FileStore, type UploadedFile } from './files.ts';
import { type FineTuningMethod, JobManager } from './fine-tuning.ts';
import { handleChatCompletion, handleCompletion } from './generation.ts';
import { invalidRequest, notFound, parseJsonBody, sendError, sendJson, ServeError } from './http.ts';
import { DEFAULT_SERVE_LIMITS, discardRest, readBody, type ServeLimits } from './limits.ts';
import type { ServedModels } from './models.ts';

/** What a request hook sees: the parsed JSON body (undefined for multipart or empty bodies), which it may change in place. */
export interface IncomingRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

/**
 * Runs before each request is served. Return `'handled'` after writing `response` yourself
 * (e.g. an injected fault); anything else lets the server answer.
 */
export type RequestHook = (request: IncomingRequest, response: ServerResponse) => Promise<'handled' | void> | 'handled' | void;

export interface ServerOptions {
  host?: string;
  /** 0 picks a free port. */
  port: number;
  models: ServedModels;
  /** Enables `/v1/files` and `/v1/fine_tuning/jobs`. */
  trainer?: Trainer;
  /** The fine-tuning methods the trainer does (`supervised` when absent). */
  methods?: readonly FineTuningMethod[];
  /** Uploaded files, job outputs and the list of fine-tuned models live here. */
  workDir: string;
  /** When set, requests must carry `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
  /** Size limits of one request (DEFAULT_SERVE_LIMITS where not given). */
  limits?: Partial<ServeLimits>;
  hook?: RequestHook;
  log?: (line: string) => void;
}

export interface RunningServer {
  /** The OpenAI base URL, e.g. `http://127.0.0.1:8000/v1`. */
  url: string;
  port: number;
  /** Files uploaded so far, content included. */
  uploads(): UploadedFile[];
  close(): Promise<void>;
}

/** An OpenAI-compatible HTTP server over starloop's Policy and Trainer interfaces. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const log = options.log ?? (() => undefined);
  const limits: ServeLimits = { ...DEFAULT_SERVE_LIMITS, ...options.limits };
  const files = new FileStore(join(options.workDir, 'files'), limits.maxBodyBytes);
  const jobs = options.trainer ? new JobManager({ trainer: options.trainer, files, models: options.models, workDir: options.workDir, log, ...(options.methods ? { methods: options.methods } : {}) }) : undefined;
  await jobs?.restoreModels();

  const server = createServer((request, response) => {
    serve(request, response).catch((error: unknown) => {
      discardRest(request, response);
      sendError(response, error);
    });
  });

  async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const method = request.method ?? 'GET';
    const path = url.pathname.replace(/\/+$/, '');
    // Before the body: a client without the key must not get the server to buffer up to maxBodyBytes.
    if (options.apiKey !== undefined && !authorized(request.headers.authorization, options.apiKey)) {
      throw new ServeError(401, 'invalid_request_error', 'Incorrect API key provided.', 'invalid_api_key');
    }
    const multipart = (request.headers['content-type'] ?? '').startsWith('multipart/form-data');
    const body = method === 'POST' && !multipart ? parseJsonBody(await readBody(request, limits.maxBodyBytes)) : undefined;
    const incoming: IncomingRequest = { method, path, headers: request.headers, body };
    if ((await options.hook?.(incoming, response)) === 'handled') return;
    // Stop sampling when the client goes away before the answer is written.
    const abort = new AbortController();
    response.on('close', () => abort.abort());
    const route = `${method} ${path}`;

    if (route === 'GET /v1/models') {
      return sendJson(response, 200, { object: 'list', data: options.models.list().map((id) => ({ id, object: 'model', created: 0, owned_by: 'starloop' })) });
    }
    const model = path.match(/^\/v1\/models\/(.+)$/);
    if (method === 'GET' && model) {
      const id = decodePathSegment(model[1]);
      if (!options.models.list().includes(id)) throw notFound(`The model '${id}' does not exist`);
      return sendJson(response, 200, { id, object: 'model', created: 0, owned_by: 'starloop' });
    }
    if (route === 'POST /v1/completions') return handleCompletion(response, options.models, incoming.body, limits, abort.signal);
    if (route === 'POST /v1/chat/completions') return handleChatCompletion(response, options.models, incoming.body, limits, abort.signal);
    if (jobs) {
      if (route === 'POST /v1/files') return sendJson(response, 200, await files.upload(request, url));
      const file = path.match(/^\/v1\/files\/([^/]+)$/);
      if (method === 'GET' && file) return sendJson(response, 200, files.describe(file[1]));
      if (route === 'POST /v1/fine_tuning/jobs') return sendJson(response, 200, jobs.create(incoming.body));
      if (route === 'GET /v1/fine_tuning/jobs') return sendJson(response, 200, { object: 'list', data: jobs.list(), has_more: false });
      const job = path.match(/^\/v1\/fine_tuning\/jobs\/([^/]+)(\/events|\/cancel)?$/);
      if (job && method === 'GET' && job[2] === undefined) return sendJson(response, 200, jobs.get(job[1]));
      if (job && method === 'GET' && job[2] === '/events') {
        const limit = Math.min(Math.max(Number(url.searchParams.get('limit') ?? 20) || 20, 1), 1000);
        return sendJson(response, 200, jobs.events(job[1], url.searchParams.get('after') ?? undefined, limit));
      }
      if (job && method === 'POST' && job[2] === '/cancel') return sendJson(response, 200, jobs.cancel(job[1]));
    }
    throw notFound(`Unknown request URL: ${method} ${path}`);
  }

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(listenError(error, host, options.port)));
    server.listen(options.port, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}/v1`;
  log(`listening ${url}`);

  return {
    url,
    port,
    uploads: () => files.all(),
    async close() {
      await jobs?.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await options.models.close();
    },
  };
}

/** Why the server could not listen, in words: a taken port is the usual cause, and has a usual fix. */
function listenError(error: Error, host: string, port: number): Error {
  const where = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  switch ((error as NodeJS.ErrnoException).code) {
    case 'EADDRINUSE':
      return new ServerStartError(`cannot listen on ${where}: another process already uses port ${port}; stop it, or choose another port (0 picks a free one)`, { cause: error });
    case 'EACCES':
      return new ServerStartError(`cannot listen on ${where}: this user may not open port ${port} (ports below 1024 need privileges); choose a port from 1024 up`, { cause: error });
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new ConfigError(`cannot listen on ${where}: ${host} is not an address of this machine`, { cause: error });
    default:
      return new ServerStartError(`cannot listen on ${where}: ${error.message}`, { cause: error });
  }
}

function decodePathSegment(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw invalidRequest(`the URL path segment '${raw}' is not valid percent-encoding`);
  }
}

function authorized(header: string | undefined, apiKey: string): boolean {
  const given = Buffer.from(header?.replace(/^Bearer\s+/i, '') ?? '');
  const wanted = Buffer.from(apiKey);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}
