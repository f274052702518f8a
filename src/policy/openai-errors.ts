import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { PolicyError } from '../errors.ts';
import type { Endpoint } from './openai-endpoints.ts';
import { MalformedResponseError } from './openai-response.ts';

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

export function isAbort(error: unknown): boolean {
  return error instanceof APIUserAbortError || (error instanceof Error && error.name === 'AbortError');
}

/**
 * A request that failed for good, as a PolicyError naming the endpoint and what went wrong.
 * Messages are built from status codes and server text only, so an API key never appears.
 */
export function policyFailure(endpoint: Endpoint, failure: unknown, context: { timeoutMs: number; attempts: number }): PolicyError {
  const { url } = endpoint;
  const error = withoutKey(endpoint, failure);
  const after = context.attempts > 1 ? ` (after ${context.attempts} attempts)` : '';
  if (error instanceof APIConnectionTimeoutError) {
    return new PolicyError(`${url} did not answer within ${context.timeoutMs} ms${after}`, { cause: error, code: 'POLICY_TIMEOUT' });
  }
  if (error instanceof APIConnectionError) {
    const code = networkCode(error);
    const reason = code ? (networkCodes[code] ?? code) : error.message;
    return new PolicyError(`could not reach ${url}: ${reason}${after}`, { cause: error, code: 'POLICY_UNREACHABLE' });
  }
  if (error instanceof APIError && (error.status === 401 || error.status === 403)) {
    const why = endpoint.keyGiven ? 'was refused' : 'is not set';
    return new PolicyError(`${endpoint.apiKeyEnv} ${why} (${url} answered ${error.status}: ${serverMessage(endpoint, error)})`, { cause: error, code: 'POLICY_AUTH' });
  }
  if (error instanceof APIError && error.status !== undefined) {
    return new PolicyError(`${url} answered ${error.status}: ${serverMessage(endpoint, error)}${after}`, { cause: error });
  }
  if (error instanceof MalformedResponseError || error instanceof SyntaxError) {
    return new PolicyError(`${url} sent a malformed response${after}: ${error.message}`, { cause: error, code: 'POLICY_BAD_RESPONSE' });
  }
  return new PolicyError(`request to ${url} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}

/** The error itself, or a copy with the key masked when the server's text repeated it (causes get logged). */
function withoutKey(endpoint: Endpoint, error: unknown): unknown {
  if (!(error instanceof APIError) || endpoint.redact(error.message) === error.message) return error;
  const body = error.error as { message?: unknown } | undefined;
  const safeBody = typeof body?.message === 'string' ? { ...body, message: endpoint.redact(body.message) } : undefined;
  return APIError.generate(error.status, safeBody, endpoint.redact(error.message), error.headers);
}

function serverMessage(endpoint: Endpoint, error: APIError): string {
  const body = error.error as { message?: unknown } | undefined;
  return endpoint.redact(typeof body?.message === 'string' ? body.message : error.message);
}
