import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { connect } from '../../src/openai/connection.ts';
import { limitedFetch, ResponseTooLargeError } from '../../src/openai/response-limit.ts';

/** Answers /declared with a Content-Length of 64 MiB (and no body), anything else with `size` bytes streamed in 1 MiB chunks. */
let server: Server;
let base: string;
beforeAll(async () => {
  server = createServer((request, response) => {
    if (request.url === '/gzip') {
      const wire = gzipSync(Buffer.alloc(8 * 1024 * 1024, 'a'));
      response.writeHead(200, { 'content-encoding': 'gzip', 'content-length': String(wire.length) }).end(wire);
      return;
    }
    if (request.url === '/small') {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '11' }).end('{"ok":true}');
      return;
    }
    if (request.url === '/declared') {
      response.writeHead(200, { 'content-length': String(64 * 1024 * 1024) });
      response.flushHeaders();
      return;
    }
    const size = Number(new URL(request.url!, 'http://x').searchParams.get('size'));
    const status = Number(new URL(request.url!, 'http://x').searchParams.get('status') ?? 200);
    response.writeHead(status, { 'content-type': 'application/json' });
    const chunk = Buffer.alloc(1024 * 1024, 'a');
    let sent = 0;
    const more = () => {
      while (sent < size && !response.destroyed) {
        sent += chunk.length;
        if (!response.write(chunk)) return void response.once('drain', more);
      }
      response.end();
    };
    more();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

test('a body past the limit fails as it streams in; one within it reads whole', async () => {
  const fetchAtMost = limitedFetch(4 * 1024 * 1024);
  expect((await (await fetchAtMost(`${base}/?size=${3 * 1024 * 1024}`)).text()).length).toBe(3 * 1024 * 1024);
  await expect((await fetchAtMost(`${base}/?size=${100 * 1024 * 1024}`)).text()).rejects.toBeInstanceOf(ResponseTooLargeError);
});

test('a declared length past the limit fails before any of the body is read', async () => {
  const response = await limitedFetch(1024)(`${base}/declared`);
  await expect(response.text()).rejects.toThrow(/response body over 1024 bytes/);
});

test("the shared client reads a 100 MB error body only up to its limit, and reports the status", async () => {
  const { client } = connect({ baseURL: `${base}/v1`, apiKeyEnv: 'UNSET_KEY', env: {}, maxRetries: 0, timeoutMs: 30_000 }, (failure) => new Error(failure.message));
  const error = await client.get(`/?size=${100 * 1024 * 1024}&status=500`).then(() => undefined, (e: unknown) => e as { status?: number; message: string });
  expect(error?.status).toBe(500);
  expect(error?.message).toMatch(/response body over \d+ bytes/);
}, 30_000);

test('a declared length counts only for a body sent as is: a small compressed body is still counted as it inflates', async () => {
  const fetchAtMost = limitedFetch(1024 * 1024);
  expect(await (await fetchAtMost(`${base}/small`)).text()).toBe('{"ok":true}');
  // ~8 KB on the wire, 8 MiB inflated: its Content-Length says nothing of what fetch hands over.
  await expect((await fetchAtMost(`${base}/gzip`)).text()).rejects.toBeInstanceOf(ResponseTooLargeError);
});
