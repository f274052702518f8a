import type { ServerResponse } from 'node:http';
import type { z } from 'zod';
import { StarloopError } from '../errors.ts';
import { formatIssues } from '../schema/format-issues.ts';

/** An error that becomes an OpenAI-style error body (`{error: {message, type, code}}`) with an HTTP status. */
export class ServeError extends StarloopError {
  readonly status: number;
  readonly type: string;

  constructor(status: number, type: string, message: string, code = type) {
    super(code.toUpperCase(), message);
    this.status = status;
    this.type = type;
  }
}

export const notFound = (what: string) => new ServeError(404, 'not_found_error', what, 'not_found');
export const invalidRequest = (message: string) => new ServeError(400, 'invalid_request_error', message, 'invalid_request');

export function parseJsonBody(raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch (error) {
    throw invalidRequest(`request body is not valid JSON: ${(error as Error).message}`);
  }
}

/** Parses a request body through `schema`; the message names each bad field, as OpenAI's own errors do. */
export function parseRequest<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body);
  if (!result.success) throw invalidRequest(formatIssues(result.error));
  return result.data;
}

export function sendJson(response: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

export function sendError(response: ServerResponse, error: unknown): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  const known = error instanceof ServeError ? error : undefined;
  const status = known?.status ?? 500;
  const message = known?.message ?? `internal error: ${error instanceof Error ? error.message : String(error)}`;
  sendJson(response, status, {
    error: { message, type: known?.type ?? 'server_error', code: known ? known.code.toLowerCase() : 'internal_error', param: null },
  });
}

/** Server-sent events as the OpenAI streaming endpoints write them: `data: {json}` lines, then `data: [DONE]`. */
export function startEventStream(response: ServerResponse): { send(value: unknown): void; end(): void } {
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  return {
    send: (value) => response.write(`data: ${JSON.stringify(value)}\n\n`),
    end: () => response.end('data: [DONE]\n\n'),
  };
}

export const unixSeconds = (): number => Math.floor(Date.now() / 1000);
