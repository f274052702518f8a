import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI, { type APIError } from 'openai';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Generation, Policy } from '../../src/policy/policy.ts';
import { createServedModels } from '../../src/serve/models.ts';
import { startServer, type RunningServer } from '../../src/serve/server.ts';

/** A deterministic model: echoes the prompt, the sample index and the sampling parameters it got. */
function echoPolicy(id: string): Policy {
  return {
    id,
    async *generate(requests, params): AsyncGenerator<Generation> {
      for (const request of requests) {
        for (const index of request.indices) {
          const text = `${id}|${request.text}|#${index}|seed=${params.seed}|t=${params.temperature}|p=${params.topP}|max=${params.maxTokens}|stop=${params.stop?.join(',') ?? ''}`;
          yield { key: request.key, index, text, finishReason: 'stop', usage: { promptTokens: 5, completionTokens: 7 }, model: id, latencyMs: 1 };
        }
      }
    },
  };
}

let server: RunningServer;
let client: OpenAI;
let workDir: string;
beforeAll(async () => {
  const models = createServedModels({ 'echo-1': { model: 'echo-1' } }, (id) => echoPolicy(id));
  workDir = await mkdtemp(join(tmpdir(), 'starloop-serve-'));
  server = await startServer({ port: 0, models, workDir });
  client = new OpenAI({ baseURL: server.url, apiKey: 'unused', maxRetries: 0 });
});
afterAll(async () => {
  await server.close();
  await rm(workDir, { recursive: true, force: true });
});

test('lists the served models', async () => {
  const models = await client.models.list();
  expect(models.data.map((m) => m.id)).toEqual(['echo-1']);
});

test('completions: n choices in index order, sampling parameters passed through, usage summed per prompt', async () => {
  const response = await client.completions.create({ model: 'echo-1', prompt: 'Q: 2+2?', n: 3, temperature: 0.5, top_p: 0.9, max_tokens: 20, stop: ['\n'], seed: 7 });
  expect(response.object).toBe('text_completion');
  expect(response.choices.map((c) => c.index)).toEqual([0, 1, 2]);
  expect(response.choices[2].text).toBe('echo-1|Q: 2+2?|#2|seed=7|t=0.5|p=0.9|max=20|stop=\n');
  expect(response.choices[0].finish_reason).toBe('stop');
  expect(response.usage).toEqual({ prompt_tokens: 5, completion_tokens: 21, total_tokens: 26 });
});

test('chat completions, plain and streamed', async () => {
  const messages = [
    { role: 'system' as const, content: 'Be brief.' },
    { role: 'user' as const, content: 'Hi' },
  ];
  const response = await client.chat.completions.create({ model: 'echo-1', messages, n: 2, seed: 1, max_completion_tokens: 9 });
  expect(response.choices.map((c) => c.message.content)).toEqual([
    'echo-1|Be brief.\n\nHi|#0|seed=1|t=1|p=1|max=9|stop=',
    'echo-1|Be brief.\n\nHi|#1|seed=1|t=1|p=1|max=9|stop=',
  ]);
  const stream = await client.chat.completions.create({ model: 'echo-1', messages, n: 2, seed: 1, max_tokens: 9, stream: true });
  const streamed: Record<number, string> = {};
  for await (const chunk of stream) for (const choice of chunk.choices) streamed[choice.index] = (streamed[choice.index] ?? '') + (choice.delta.content ?? '');
  expect(streamed).toEqual({ 0: response.choices[0].message.content, 1: response.choices[1].message.content });
});

const failure = (promise: Promise<unknown>): Promise<APIError> =>
  promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e as APIError,
  );

test('errors are OpenAI-style bodies with proper status codes', async () => {
  const unknown = await failure(client.completions.create({ model: 'nope', prompt: 'x' }));
  expect(unknown.status).toBe(404);
  expect(unknown.message).toContain("The model 'nope' does not exist");
  const bad = await failure(client.completions.create({ model: 'echo-1', prompt: 'x', n: 0 }));
  expect(bad.status).toBe(400);
  expect((bad.error as { type: string }).type).toBe('invalid_request_error');
  expect(bad.message).toContain('n:');
  const raw = await fetch(`${server.url}/chat/completions`, { method: 'POST', body: '{not json', headers: { 'content-type': 'application/json' } });
  expect(raw.status).toBe(400);
  expect(((await raw.json()) as { error: { message: string } }).error.message).toMatch(/not valid JSON/);
  // Without a trainer, fine-tuning is not served.
  expect((await fetch(`${server.url}/fine_tuning/jobs`)).status).toBe(404);
});
