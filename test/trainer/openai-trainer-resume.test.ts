import { afterAll, beforeAll, expect, test } from 'vitest';
import { OpenAITrainConfig } from '../../src/config/schema.ts';
import { createOpenAITrainer } from '../../src/trainer/openai.ts';
import { startOpenAIServer, type OpenAITestServer } from '../helpers/openai-server.ts';
import { memoryState, trainRequest } from '../helpers/train-request.ts';

let server: OpenAITestServer;
beforeAll(async () => {
  server = await startOpenAIServer({ trainMs: 300 });
});
afterAll(() => server.close());

const config = OpenAITrainConfig.parse({ type: 'openai', pollIntervalMs: 10 });
const posts = (path: string) => server.requests.filter((r) => r.method === 'POST' && r.path === path).length;

test('a resumed round keeps polling the job it created instead of uploading and creating another', async () => {
  const state = memoryState();
  // The first process is interrupted while the job runs.
  const interrupted = new AbortController();
  const first = createOpenAITrainer(config, { baseURL: server.url, apiKeyEnv: 'OPENAI_API_KEY', env: {} });
  const request = await trainRequest({ state, signal: interrupted.signal });
  const running = first.train(request);
  while (!request.progress.some((p) => p.stage === 'running')) await new Promise((r) => setTimeout(r, 5));
  interrupted.abort();
  await expect(running).rejects.toMatchObject({ code: 'ABORTED' });
  expect(posts('/v1/files')).toBe(1);
  expect(posts('/v1/fine_tuning/jobs')).toBe(1);

  // A new process with the saved state picks the same job up.
  const second = createOpenAITrainer(config, { baseURL: server.url, apiKeyEnv: 'OPENAI_API_KEY', env: {} });
  const result = await second.train(await trainRequest({ state }));
  expect(result.model).toMatch(/^ft:scripted-base:starloop:/);
  expect(result.model.endsWith((state.writes.at(-1) as { jobId: string }).jobId)).toBe(true);
  expect(posts('/v1/files')).toBe(1);
  expect(posts('/v1/fine_tuning/jobs')).toBe(1);
});
