import { request } from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Generation, Policy } from '../../src/policy/policy.ts';
import { createServedModels } from '../../src/serve/models.ts';
import { startServer, type RunningServer } from '../../src/serve/server.ts';
import type { Trainer } from '../../src/trainer/trainer.ts';

let sampled = 0;
const policy: Policy = {
  id: 'echo',
  async *generate(requests): AsyncGenerator<Generation> {
    for (const r of requests) {
      for (const index of r.indices) {
        sampled++;
        yield { key: r.key, index, text: 'ok', finishReason: 'stop', usage: { promptTokens: 1, completionTokens: 1 }, model: 'echo', latencyMs: 0 };
      }
    }
  },
};
const trainer: Trainer = { id: 'none', train: async (r) => ({ model: r.start.model }) };

let server: RunningServer;
let client: OpenAI;
const workDir = await mkdtemp(join(tmpdir(), 'starloop-serve-limits-'));
beforeAll(async () => {
  server = await startServer({
    port: 0,
    models: createServedModels({ echo: { model: 'echo' } }, () => policy),
    trainer,
    workDir,
    limits: { maxBodyBytes: 64 * 1024, maxPromptChars: 1_000, maxChoices: 16 },
  });
  client = new OpenAI({ baseURL: server.url, apiKey: 'unused', maxRetries: 0 });
});
afterAll(async () => {
  await server.close();
  await rm(workDir, { recursive: true, force: true });
});

async function failure(promise: Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(OpenAI.APIError);
  return error as InstanceType<typeof OpenAI.APIError>;
}

test('a prompt over the character limit is a 400 before the model sees it', async () => {
  sampled = 0;
  const error = await failure(client.chat.completions.create({ model: 'echo', messages: [{ role: 'system', content: 'x'.repeat(600) }, { role: 'user', content: 'y'.repeat(600) }] }));
  expect(error.status).toBe(400);
  expect(error.code).toBe('prompt_too_long');
  expect(error.message).toMatch(/1200 characters; this server takes at most 1000/);
  const completions = await failure(client.completions.create({ model: 'echo', prompt: ['a'.repeat(700), 'b'.repeat(700)] }));
  expect(completions.code).toBe('prompt_too_long');
  expect(sampled).toBe(0);
});

test('more choices than the limit (prompts × n) is a 400 before any sampling', async () => {
  sampled = 0;
  const error = await failure(client.completions.create({ model: 'echo', prompt: ['a', 'b', 'c'], n: 6 }));
  expect(error.status).toBe(400);
  expect(error.message).toMatch(/asks for 18 choices; this server makes at most 16/);
  expect(sampled).toBe(0);
});

test('a file upload over the body limit is a 413, and one within it is kept on disk, not in memory', async () => {
  const big = await failure(client.files.create({ file: await toFile(Buffer.alloc(100 * 1024, 'a'), 'big.jsonl'), purpose: 'fine-tune' }));
  expect(big.status).toBe(413);
  expect(big.code).toBe('request_too_large');

  const content = '{"messages":[{"role":"user","content":"q"},{"role":"assistant","content":"a"}]}\n';
  const file = await client.files.create({ file: await toFile(Buffer.from(content), 'small.jsonl'), purpose: 'fine-tune' });
  expect(file.bytes).toBe(content.length);
  const [stored] = server.uploads();
  expect(stored).not.toHaveProperty('content');
  expect(await readFile(stored.path, 'utf8')).toBe(content);
});

test('a streamed multipart upload with no declared length is cut off at the limit', async () => {
  const boundary = 'starloop-test-boundary';
  const status = await new Promise<number>((resolve, reject) => {
    const req = request(`${server.url}/files`, { method: 'POST', headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
    req.on('response', (response) => {
      response.resume();
      resolve(response.statusCode!);
    });
    req.on('error', reject);
    req.write(`--${boundary}\r\ncontent-disposition: form-data; name="purpose"\r\n\r\nfine-tune\r\n`);
    req.write(`--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="x.jsonl"\r\n\r\n`);
    let sent = 0;
    const chunk = Buffer.alloc(16 * 1024, 'a');
    const more = () => {
      while (sent < 1024 * 1024 && !req.destroyed) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', more);
      }
      req.end(`\r\n--${boundary}--\r\n`);
    };
    more();
  });
  expect(status).toBe(413);
  expect(server.uploads()).toHaveLength(1);
  expect((await client.models.list()).data.map((m) => m.id)).toEqual(['echo']);
});
