import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { type Dispatcher, Pool } from 'undici';
import { ResponseTooLargeError } from './response-limit.ts';
import { childSignal } from './signal.ts';

export interface JsonPostOptions {
  /** Aborts the request (an APIUserAbortError). */
  signal: AbortSignal;
  /** For the answer's headers, then again for its body (a server may trickle the body forever). */
  timeoutMs: number;
  /** Most bytes of an answer read; past it the answer is a ResponseTooLargeError. */
  limit: number;
  /** What the limit is, for its message. */
  what: string;
}

/**
 * POSTs JSON to one OpenAI-compatible server over kept-alive connections (an undici Pool): the
 * sampler's hot path. The openai client spends about 5× the CPU per request (650 vs 130 µs
 * against the local test server, `scripts/bench/sampling.ts`), which at thousands of samples a
 * second was the sampler's largest cost. Failures are the client's own classes, as it would throw
 * them, so retries and messages treat both paths alike: a status ≥ 400 is an APIError made by
 * `APIError.generate` from the answer, no answer is an APIConnectionError (a timeout its
 * APIConnectionTimeoutError), an abort is an APIUserAbortError.
 *
 * No `accept-encoding` is sent, so bodies come as they are counted: a server that compresses
 * anyway sends bytes that are not JSON, a malformed answer, never a body inflated past the limit.
 */
export class JsonPoster {
  readonly #url: URL;
  readonly #headers: Record<string, string>;
  #pool: Pool | undefined;

  /** `baseURL` as the openai client takes it (`http://host:8000/v1`); `headers` go with every request. */
  constructor(baseURL: string, headers: Record<string, string>) {
    this.#url = new URL(baseURL.endsWith('/') ? baseURL : `${baseURL}/`);
    this.#headers = { ...headers, 'content-type': 'application/json', accept: 'application/json' };
  }

  /** The body of a 2xx answer to `body` sent to `path` (below the base URL), as text. */
  async post(path: string, body: unknown, options: JsonPostOptions): Promise<string> {
    if (options.signal.aborted) throw new APIUserAbortError();
    this.#pool ??= new Pool(this.#url.origin);
    // One signal per request: the caller's abort and this request's time limit both end it.
    const request = childSignal(options.signal);
    let timedOut = false;
    const deadline = () =>
      setTimeout(() => {
        timedOut = true;
        request.abort();
      }, options.timeoutMs);
    let timer = deadline();
    const failure = (error: unknown) => {
      if (options.signal.aborted) return new APIUserAbortError();
      if (timedOut) return new APIConnectionTimeoutError();
      return error instanceof APIError || error instanceof ResponseTooLargeError ? error : new APIConnectionError({ message: 'Connection error.', cause: error as Error });
    };
    try {
      const answer = await this.#pool
        .request({ method: 'POST', path: `${this.#url.pathname}${path.replace(/^\//, '')}${this.#url.search}`, headers: this.#headers, body: JSON.stringify(body), signal: request.signal })
        .catch((error: unknown) => {
          throw failure(error);
        });
      // The headers are in; the body gets a time limit of its own.
      clearTimeout(timer);
      timer = deadline();
      const declared = Number(answer.headers['content-length'] ?? Number.NaN);
      const text = Number.isFinite(declared) && declared > options.limit ? tooLarge(answer.body, options) : await readText(answer.body, options).catch((error: unknown) => Promise.reject(failure(error)));
      if (answer.statusCode >= 200 && answer.statusCode < 300) return text;
      const json = safeJson(text);
      throw APIError.generate(answer.statusCode, json, json === undefined ? text : undefined, headersOf(answer.headers));
    } finally {
      clearTimeout(timer);
      request.dispose();
    }
  }

  /** Closes the kept-alive connections. */
  async close(): Promise<void> {
    const pool = this.#pool;
    this.#pool = undefined;
    await pool?.close();
  }
}

type Body = Dispatcher.ResponseData['body'];

function tooLarge(body: Body, options: JsonPostOptions): never {
  // Destroyed unread, the body reports its own abort: that is this error, already being thrown.
  body.on('error', () => undefined).destroy();
  throw new ResponseTooLargeError(`response body over ${options.limit} bytes (${options.what}); stopped reading`);
}

async function readText(body: Body, options: JsonPostOptions): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > options.limit) tooLarge(body, options);
    chunks.push(chunk);
  }
  return (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size)).toString('utf8');
}

function safeJson(text: string): object | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? value : undefined;
  } catch {
    return undefined;
  }
}

function headersOf(raw: Record<string, string | string[] | undefined>): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  return headers;
}
