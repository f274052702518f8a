import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { JsonPoster } from '../../src/openai/json-post.ts';
import { ResponseTooLargeError } from '../../src/openai/response-limit.ts';

/** A raw HTTP server whose answer each test scripts by path, and what it received. */
type Handler = (request: IncomingMessage, body: string, response: ServerResponse) => void;
const handlers = new Map<string, Handler>();
let server: Server;
let baseURL: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => handlers.get(request.url ?? '')?.(request, body, response));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const options = (extra: Partial<Parameters<JsonPoster['post']>[2]> = {}) => ({ signal: new AbortController().signal, timeoutMs: 2_000, limit: 10_000, what: 'the test limit', ...extra });

test('posts the body as JSON below the base URL with the key and returns a 2xx answer as text', async () => {
  let seen: { headers: IncomingMessage['headers']; body: string } | undefined;
  handlers.set('/v1/chat/completions', (request, body, response) => {
    seen = { headers: request.headers, body };
    response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
  const poster = new JsonPoster(baseURL, { authorization: 'Bearer sk-test' });
  try {
    expect(await poster.post('/chat/completions', { model: 'm', n: 2 }, options())).toBe('{"ok":true}');
    expect(seen?.headers.authorization).toBe('Bearer sk-test');
    expect(seen?.headers['content-type']).toBe('application/json');
    // Nothing compressed is asked for: bodies are counted as they arrive, never inflated.
    expect(seen?.headers['accept-encoding']).toBeUndefined();
    expect(JSON.parse(seen!.body)).toEqual({ model: 'm', n: 2 });
  } finally {
    await poster.close();
  }
});

test("an error status is the openai client's APIError for it, with the server's message and headers", async () => {
  handlers.set('/v1/limited', (_request, _body, response) => {
    response.writeHead(429, { 'content-type': 'application/json', 'retry-after': '7' }).end(JSON.stringify({ error: { message: 'slow down', type: 'rate_limit' } }));
  });
  const poster = new JsonPoster(baseURL, {});
  try {
    const error = await poster.post('/limited', {}, options()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).status).toBe(429);
    expect((error as APIError).message).toContain('slow down');
    expect((error as APIError).headers?.get('retry-after')).toBe('7');
  } finally {
    await poster.close();
  }
});

test('a body that trickles forever is cut off at the time limit as a timeout', async () => {
  handlers.set('/v1/trickle', (_request, _body, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    const timer = setInterval(() => response.write(' '), 50);
    response.on('close', () => clearInterval(timer));
  });
  const poster = new JsonPoster(baseURL, {});
  try {
    const started = performance.now();
    const error = await poster.post('/trickle', {}, options({ timeoutMs: 300 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
    // Bound, not speed: it ends, long before the test's own limit.
    expect(performance.now() - started).toBeLessThan(10_000);
  } finally {
    await poster.close();
  }
});

test('a connection dropped in the middle of the body is a connection error (retried), not a body', async () => {
  handlers.set('/v1/drop', (_request, _body, response) => {
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
    response.write('{"choices": [');
    setTimeout(() => response.socket?.destroy(), 20);
  });
  const poster = new JsonPoster(baseURL, {});
  try {
    const error = await poster.post('/drop', {}, options()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(error).not.toBeInstanceOf(APIConnectionTimeoutError);
  } finally {
    await poster.close();
  }
});

test('a body past the limit is refused: at once when declared, as it streams when not', async () => {
  handlers.set('/v1/declared', (_request, _body, response) => {
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(50_000) }).end('x'.repeat(50_000));
  });
  handlers.set('/v1/streamed', (_request, _body, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    const timer = setInterval(() => response.write('y'.repeat(4_096)), 5);
    response.on('close', () => clearInterval(timer));
  });
  const poster = new JsonPoster(baseURL, {});
  try {
    for (const path of ['/declared', '/streamed']) {
      const error = await poster.post(path, {}, options()).catch((e: unknown) => e);
      expect(error, path).toBeInstanceOf(ResponseTooLargeError);
      expect((error as Error).message).toContain('over 10000 bytes (the test limit)');
    }
  } finally {
    await poster.close();
  }
});

test('a compressed body sent unasked is handed over as the bytes that came, never inflated', async () => {
  const inflated = JSON.stringify({ text: 'z'.repeat(1_000_000) });
  const wire = gzipSync(inflated);
  handlers.set('/v1/gzip', (_request, _body, response) => {
    response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': String(wire.length) }).end(wire);
  });
  const poster = new JsonPoster(baseURL, {});
  try {
    const text = await poster.post('/gzip', {}, options());
    expect(Buffer.byteLength(text, 'latin1')).toBeLessThan(10_000);
    expect(() => JSON.parse(text)).toThrow();
  } finally {
    await poster.close();
  }
});

test('an abort ends a request waiting for its answer as a user abort', async () => {
  handlers.set('/v1/never', () => undefined);
  const poster = new JsonPoster(baseURL, {});
  try {
    const controller = new AbortController();
    const pending = poster.post('/never', {}, options({ signal: controller.signal, timeoutMs: 60_000 })).catch((e: unknown) => e);
    setTimeout(() => controller.abort(), 50);
    expect(await pending).toBeInstanceOf(APIUserAbortError);
  } finally {
    await poster.close();
  }
});
