import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import type { Connection } from './connection.ts';

/** What went wrong talking to a server, in words, before the policy or trainer wraps it in its own error class. */
export type FailureKind = 'timeout' | 'unreachable' | 'auth' | 'bad-response' | 'failed';

export interface Failure {
  kind: FailureKind;
  message: string;
  cause?: unknown;
}

/** A 200 answer whose body is not what the endpoint promises; retried like a transient failure. */
export class MalformedResponseError extends Error {}

const networkCodes: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_SOCKET: 'connection closed by the server',
};

/** The innermost `code` along an error's cause chain (fetch wraps the socket error twice). */
function networkCode(error: unknown): string | undefined {
  let code: string | undefined;
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const candidate = (e as { code?: unknown }).code;
    if (typeof candidate === 'string') code = candidate;
  }
  return code;
}

/** A failure worth trying again (the openai client retries these itself): no answer, rate limit, conflict, or server error. */
export function isRetriedByClient(error: unknown): boolean {
  if (error instanceof APIConnectionError) return true;
  return error instanceof APIError && error.status !== undefined && (error.status === 408 || error.status === 409 || error.status === 429 || error.status >= 500);
}

export function isRateLimited(error: unknown): error is APIError {
  return error instanceof APIError && error.status === 429;
}

/** The wait a failed answer asks for (`retry-after-ms`, or `retry-after` in seconds or as a date), if any. */
export function retryAfterMs(error: unknown): number | undefined {
  if (!(error instanceof APIError) || !error.headers) return undefined;
  const ms = Number.parseFloat(error.headers.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms)) return Math.max(0, ms);
  const header = error.headers.get('retry-after');
  if (header === null) return undefined;
  const seconds = Number.parseFloat(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

export function isAbort(error: unknown): boolean {
  return error instanceof APIUserAbortError || (error instanceof Error && error.name === 'AbortError');
}

/**
 * A request that failed for good, described by the endpoint and what went wrong. Messages are
 * built from status codes and server text only, so an API key never appears.
 */
export function describeFailure(connection: Connection, failure: unknown, context: { timeoutMs: number; attempts: number }): Failure {
  const { url } = connection;
  const error = withoutKey(connection, failure);
  const after = context.attempts > 1 ? ` (after ${context.attempts} attempts)` : '';
  if (error instanceof APIConnectionTimeoutError) {
    return { kind: 'timeout', message: `${url} did not answer within ${context.timeoutMs} ms${after}`, cause: error };
  }
  if (error instanceof APIConnectionError) {
    const code = networkCode(error);
    const reason = code ? (networkCodes[code] ?? code) : error.message;
    return { kind: 'unreachable', message: `could not reach ${url}: ${reason}${after}`, cause: error };
  }
  if (error instanceof APIError && (error.status === 401 || error.status === 403)) {
    const why = connection.keyGiven ? 'was refused' : 'is not set';
    return { kind: 'auth', message: `${connection.apiKeyEnv} ${why} (${url} answered ${error.status}: ${serverMessage(connection, error)})`, cause: error };
  }
  if (error instanceof APIError && error.status !== undefined) {
    return { kind: 'failed', message: `${url} answered ${error.status}: ${serverMessage(connection, error)}${after}`, cause: error };
  }
  if (error instanceof MalformedResponseError || error instanceof SyntaxError) {
    return { kind: 'bad-response', message: `${url} sent a malformed response${after}: ${error.message}`, cause: error };
  }
  return { kind: 'failed', message: `request to ${url} failed: ${error instanceof Error ? error.message : String(error)}`, cause: error };
}

/** The error itself, or a copy with the key masked when the server's text repeated it (causes get logged). */
function withoutKey(endpoint: Connection, error: unknown): unknown {
  if (!(error instanceof APIError) || endpoint.redact(error.message) === error.message) return error;
  const body = error.error as { message?: unknown } | undefined;
  const safeBody = typeof body?.message === 'string' ? { ...body, message: endpoint.redact(body.message) } : undefined;
  return APIError.generate(error.status, safeBody, endpoint.redact(error.message), error.headers);
}

function serverMessage(endpoint: Connection, error: APIError): string {
  const body = error.error as { message?: unknown } | undefined;
  return endpoint.redact(typeof body?.message === 'string' ? body.message : error.message);
}
