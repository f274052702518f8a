import type { IncomingMessage, ServerResponse } from 'node:http';
import { Transform } from 'node:stream';
import { invalidRequest, ServeError } from './http.ts';

/**
 * What one request may make the server hold. Each is checked before the work it bounds: the body
 * size before anything is parsed (from Content-Length when the client declares it, else while
 * reading), the prompt size before anything is tokenized, the choice count before any sampling.
 */
export interface ServeLimits {
  /** Bytes of any request body, JSON or multipart upload alike. */
  maxBodyBytes: number;
  /** Characters of prompt text in one request: every message, or every prompt, together. */
  maxPromptChars: number;
  /** Choices one request may ask for: prompts × n. */
  maxChoices: number;
}

export const DEFAULT_SERVE_LIMITS: ServeLimits = {
  maxBodyBytes: 16 * 1024 * 1024,
  maxPromptChars: 1_000_000,
  maxChoices: 4_096,
};

export const bodyTooLarge = (limit: number) =>
  new ServeError(413, 'invalid_request_error', `the request body is over ${limit} bytes, the most this server reads (--max-body-mb)`, 'request_too_large');

/** Refuses a body whose declared length is over the limit, before any of it is read. */
export function checkDeclaredLength(request: IncomingMessage, limit: number): void {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw bodyTooLarge(limit);
}

/** The whole body, failing as soon as it passes `limit` bytes (what follows is left unread). */
export function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  checkDeclaredLength(request, limit);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      stop();
      chunks.length = 0;
      reject(bodyTooLarge(limit));
    };
    const onEnd = () => {
      stop();
      resolve(Buffer.concat(chunks));
    };
    const onError = (error: Error) => {
      stop();
      reject(error);
    };
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onError);
  });
}

/** How long the rest of a refused body is read and dropped before the connection is cut. */
const LINGER_MS = 5_000;

/**
 * After an error answered before the body was read to its end: the rest is read and dropped, as
 * cutting the connection at once would reset it and lose the error the client is about to read;
 * a client still sending after LINGER_MS is cut off.
 */
export function discardRest(request: IncomingMessage, response: ServerResponse): void {
  if (request.complete) return;
  request.on('data', () => undefined);
  request.resume();
  response.once('finish', () => {
    if (request.complete) return;
    const linger = setTimeout(() => request.destroy(), LINGER_MS);
    request.once('close', () => clearTimeout(linger));
  });
}

/** The body as a stream that errors (with the 413) as soon as it passes `limit` bytes. */
export function limitedBody(request: IncomingMessage, limit: number): Transform {
  checkDeclaredLength(request, limit);
  let size = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      done(size > limit ? bodyTooLarge(limit) : null, chunk);
    },
  });
  request.on('error', (error) => counter.destroy(error));
  return request.pipe(counter);
}

/** Refuses prompts longer in all than the limit, before they are tokenized. */
export function checkPromptSize(texts: readonly string[], limits: ServeLimits): void {
  let chars = 0;
  for (const text of texts) chars += text.length;
  if (chars > limits.maxPromptChars) {
    throw new ServeError(400, 'invalid_request_error', `the prompt is ${chars} characters; this server takes at most ${limits.maxPromptChars} per request`, 'prompt_too_long');
  }
}

export function checkChoiceCount(prompts: number, n: number, limits: ServeLimits): void {
  if (prompts * n > limits.maxChoices) {
    throw invalidRequest(`${prompts} prompt(s) × n=${n} asks for ${prompts * n} choices; this server makes at most ${limits.maxChoices} per request`);
  }
}
