import type { ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import type { IncomingRequest } from '../../src/serve/server.ts';

/**
 * Faults a test can switch on and off while the server runs. Counted faults (`times`) answer that
 * many requests and then clear themselves; `times: Infinity` keeps them on.
 */
export interface Faults {
  /** 429 with a `retry-after` (seconds) or `retry-after-ms` header. */
  rateLimit?: { times: number; retryAfterSeconds?: number; retryAfterMs?: number };
  serverError?: { times: number; status?: number };
  /** 200 with a body that is cut-off JSON (`truncated`) or JSON of the wrong shape (`shape`). */
  malformed?: { times: number; kind?: 'truncated' | 'shape' };
  /** 200 with only the choices at these indices (text `choice N`), as a server that lost some would send. */
  sparseChoices?: { times: number; indices: number[] };
  /** 200 whose every choice (as many as `n` asked) is `bytesPerChoice` characters long, streamed out. */
  hugeChoices?: { times: number; bytesPerChoice: number };
  /** 200 with `content-encoding: gzip`: about 1 KB on the wire per MiB of a choice `decompressedBytes` long. */
  gzipBomb?: { times: number; decompressedBytes: number };
  /** The server handles the request but the connection drops before its answer (the client cannot tell whether it happened). */
  lostResponse?: { times: number };
  /** Wait this long before answering each request. */
  delayMs?: number;
  /** Behave like servers that ignore `n` and always return one choice. */
  ignoreN?: boolean;
  /** Behave like providers that refuse `n` > 1 with a 400. */
  rejectN?: boolean;
  /** Fine-tuning jobs started from now on fail with this message. */
  failFineTune?: string;
  /** Require `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
  /** Batches (Batch API) stay in_progress, running none of their requests, while this is set. */
  batchHold?: boolean;
  /** The next `times` batches answer their first `lines` requests with `status` (default 500) in the error file, without running them. */
  batchLineErrors?: { times: number; lines: number; status?: number };
  /** Request paths the counted faults and the delay apply to (default: every path). */
  paths?: string[];
}

export interface FaultControl {
  set(patch: Faults): void;
  clear(): void;
  get(): Faults;
}

export function createFaultControl(initial: Faults = {}): FaultControl {
  let faults: Faults = { ...initial };
  return {
    set: (patch) => {
      faults = { ...faults, ...patch };
    },
    clear: () => {
      faults = {};
    },
    get: () => faults,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function sendJsonError(response: ServerResponse, status: number, message: string, type: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify({ error: { message, type, code: type, param: null } }));
}

/** Takes one use of a counted fault; true when this request gets it. */
function take(control: FaultControl, name: 'rateLimit' | 'serverError' | 'malformed' | 'sparseChoices' | 'hugeChoices' | 'gzipBomb' | 'lostResponse'): boolean {
  const fault = control.get()[name];
  if (!fault || fault.times <= 0) return false;
  control.set({ [name]: { ...fault, times: fault.times - 1 } });
  return true;
}

/** Applies the current faults to one request; returns the fault's name when it answered the request itself. */
export async function applyFaults(control: FaultControl, request: IncomingRequest, response: ServerResponse): Promise<string | undefined> {
  const faults = control.get();
  if (faults.apiKey !== undefined && request.headers.authorization !== `Bearer ${faults.apiKey}`) {
    // Echoes the refused key, as careless servers do, so tests can check clients never repeat it.
    const given = request.headers.authorization?.replace(/^Bearer /, '') ?? '';
    sendJsonError(response, 401, `Incorrect API key provided: ${given}.`, 'invalid_api_key');
    return 'auth';
  }
  if (faults.paths && !faults.paths.includes(request.path)) return undefined;
  if (faults.delayMs) await sleep(faults.delayMs);
  if (take(control, 'rateLimit')) {
    const limit = faults.rateLimit!;
    const headers: Record<string, string> =
      limit.retryAfterMs !== undefined ? { 'retry-after-ms': String(limit.retryAfterMs) } : { 'retry-after': String(limit.retryAfterSeconds ?? 1) };
    sendJsonError(response, 429, 'Rate limit reached, retry later.', 'rate_limit_exceeded', headers);
    return 'rateLimit';
  }
  if (take(control, 'serverError')) {
    sendJsonError(response, faults.serverError!.status ?? 500, 'The server had an error while processing your request.', 'server_error');
    return 'serverError';
  }
  if (take(control, 'malformed')) {
    const body = faults.malformed!.kind === 'shape' ? '{"object":"chat.completion","choices":"none"}' : '{"id":"cmpl-cut","choices":[{"index":0,"te';
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(body);
    return 'malformed';
  }
  if (take(control, 'sparseChoices')) {
    const choices = faults.sparseChoices!.indices.map((index) => ({ index, message: { role: 'assistant', content: `choice ${index}` }, finish_reason: 'stop' }));
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ object: 'chat.completion', model: 'scripted-base', choices }));
    return 'sparseChoices';
  }
  if (take(control, 'hugeChoices')) {
    const n = Number((request.body as { n?: unknown } | undefined)?.n ?? 1);
    await writeHugeChoices(response, n, faults.hugeChoices!.bytesPerChoice);
    return 'hugeChoices';
  }
  if (take(control, 'gzipBomb')) {
    await writeGzipBomb(response, faults.gzipBomb!.decompressedBytes);
    return 'gzipBomb';
  }
  if (take(control, 'lostResponse')) {
    // Not 'handled': the server does the work, then the socket is cut instead of answering.
    response.writeHead = () => {
      response.socket?.destroy();
      return response;
    };
    return undefined;
  }
  const n = (request.body as { n?: unknown } | undefined)?.n;
  if (faults.rejectN && typeof n === 'number' && n > 1) {
    sendJsonError(response, 400, "Invalid 'n': only n=1 is supported.", 'invalid_request_error');
    return 'rejectN';
  }
  if (faults.ignoreN && typeof request.body === 'object' && request.body !== null && 'n' in request.body) {
    (request.body as { n?: number }).n = 1;
  }
  return undefined;
}

const MiB = 1024 * 1024;

/** Writes `parts` in order, waiting whenever the socket is full, so the server never holds the whole answer. */
async function writeAll(response: ServerResponse, parts: Iterable<string | Buffer>): Promise<void> {
  for (const part of parts) {
    if (response.destroyed) return;
    if (!response.write(part)) await new Promise<void>((resolve) => response.once('drain', resolve).once('close', resolve));
  }
  response.end();
}

function* repeated(chunk: string, total: number): Generator<string> {
  for (let left = total; left > 0; left -= chunk.length) yield left >= chunk.length ? chunk : chunk.slice(0, left);
}

function writeHugeChoices(response: ServerResponse, n: number, bytesPerChoice: number): Promise<void> {
  response.writeHead(200, { 'content-type': 'application/json' });
  const filler = 'a'.repeat(MiB);
  function* body(): Generator<string> {
    yield '{"object":"chat.completion","model":"scripted-base","choices":[';
    for (let index = 0; index < n; index++) {
      yield `${index ? ',' : ''}{"index":${index},"finish_reason":"length","message":{"role":"assistant","content":"`;
      yield* repeated(filler, bytesPerChoice);
      yield '"}}';
    }
    yield ']}';
  }
  return writeAll(response, body());
}

// A gzip stream may be several members back to back; one member of a MiB of "a"s is about 1 KB.
const gzippedMiB = gzipSync(Buffer.alloc(MiB, 'a'), { level: 9 });

function writeGzipBomb(response: ServerResponse, decompressedBytes: number): Promise<void> {
  response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
  function* body(): Generator<Buffer> {
    yield gzipSync('{"object":"chat.completion","model":"scripted-base","choices":[{"index":0,"finish_reason":"length","message":{"role":"assistant","content":"');
    for (let sent = 0; sent < decompressedBytes; sent += MiB) yield gzippedMiB;
    yield gzipSync('"}}]}');
  }
  return writeAll(response, body());
}
