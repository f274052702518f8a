import { request } from 'node:http';
import { readFile } from 'node:fs/promises';
import OpenAI from 'openai';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startCli, tempDir } from '../e2e/cli.ts';

/**
 * `starloop serve` as a user starts it, with its heap cut to 256 MB so that a request the server
 * buffers or expands whole kills it at once instead of after gigabytes.
 */
let server: ReturnType<typeof startCli>;
let url: string;

beforeAll(async () => {
  const workDir = await tempDir();
  server = startCli(['serve', '--port', '0', '--model-name', 'base-model', '--work-dir', workDir], { env: { NODE_OPTIONS: '--max-old-space-size=256' } });
  url = await new Promise<string>((resolve, reject) => {
    let out = '';
    server.child.stdout!.on('data', (chunk) => {
      out += chunk;
      const match = /listening (http:\/\/\S+)/.exec(out);
      if (match) resolve(match[1]);
    });
    server.done.then((result) => reject(new Error(`serve exited early: ${result.stderr}`)));
  });
}, 60_000);
afterAll(async () => {
  server.child.kill('SIGTERM');
  await server.done;
});

interface Answer {
  status: number;
  body: string;
}

/** POSTs `total` bytes of a JSON chat request whose message is mostly 'a's, streamed in 1 MB chunks. */
function postHugeChat(path: string, total: number, declareLength: boolean): Promise<Answer> {
  const head = '{"model":"base-model","messages":[{"role":"user","content":"';
  const tail = '"}]}';
  const target = new URL(`${url}${path}`);
  return new Promise((resolve, reject) => {
    const req = request(target, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(declareLength ? { 'content-length': String(total) } : {}) },
    });
    let answered = false;
    req.on('response', (response) => {
      answered = true;
      let body = '';
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode!, body }));
      response.on('error', reject);
    });
    // The server may close the connection while the rest is still being sent; the answer counts.
    req.on('error', (error) => setTimeout(() => (answered ? undefined : reject(error)), 500));
    const chunk = Buffer.alloc(1024 * 1024, 'a');
    let sent = 0;
    const writeMore = () => {
      if (sent === 0) sent += head.length, req.write(head);
      while (!answered && !req.destroyed && sent + chunk.length + tail.length <= total) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', writeMore);
      }
      if (!answered && !req.destroyed) req.end(tail);
    };
    writeMore();
  });
}

/** The server's peak resident memory so far, from the kernel's accounting. */
async function peakRssMb(): Promise<number> {
  const status = await readFile(`/proc/${server.child.pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

test('a 100 MB chat message is refused with a 413 before it is read, and the server keeps serving', async () => {
  const answer = await postHugeChat('/chat/completions', 100 * 1024 * 1024, true);
  expect(answer.status).toBe(413);
  expect(JSON.parse(answer.body).error).toMatchObject({ type: 'invalid_request_error', code: 'request_too_large' });
  const models = await fetch(`${url}/models`);
  expect(models.status).toBe(200);
  const peak = await peakRssMb();
  console.log(`serve peak RSS after a 100 MB message: ${Math.round(peak)} MB`);
  expect(peak).toBeLessThan(400);
}, 60_000);

test('without a declared length the body is cut off at the limit as it streams in', async () => {
  const answer = await postHugeChat('/chat/completions', 100 * 1024 * 1024, false);
  expect(answer.status).toBe(413);
  expect((await fetch(`${url}/models`)).status).toBe(200);
  expect(await peakRssMb()).toBeLessThan(400);
}, 60_000);

test("a prompt longer than the model's context is a 400 the openai client does not retry, streamed or not", async () => {
  let requests = 0;
  const client = new OpenAI({ baseURL: url, apiKey: 'unused', maxRetries: 3, fetch: (input, init) => (requests++, fetch(input, init)) });
  const content = 'What is 2+2? '.repeat(5_000);
  for (const stream of [false, true]) {
    requests = 0;
    const error = await client.chat.completions.create({ model: 'base-model', messages: [{ role: 'user', content }], max_tokens: 8, stream }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).code).toBe('context_length_exceeded');
    expect((error as Error).message).toMatch(/context is \d+ tokens/);
    expect(requests).toBe(1);
  }
}, 30_000);
