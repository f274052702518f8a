import { afterAll, beforeAll, expect, test } from 'vitest';
import { OpenAITrainConfig } from '../../src/config/schema.ts';
import { createOpenAITrainer } from '../../src/trainer/openai.ts';
import { startOpenAIServer, type OpenAITestServer } from '../helpers/openai-server.ts';
import { memoryState, trainRequest } from '../helpers/train-request.ts';

let server: OpenAITestServer;
beforeAll(async () => {
  server = await startOpenAIServer({ trainMs: 30 });
});
afterAll(() => server.close());

test('a resume whose saved job and file the server no longer knows (e.g. a restarted starloop serve) starts them again', async () => {
  const state = memoryState({ fileId: 'file-from-a-server-that-restarted', jobId: 'ftjob-from-a-server-that-restarted' });
  const trainer = createOpenAITrainer(OpenAITrainConfig.parse({ type: 'openai', pollIntervalMs: 10 }), { baseURL: server.url, apiKeyEnv: 'OPENAI_API_KEY', env: {} });
  const result = await trainer.train(await trainRequest({ state }));
  expect(result.model).toMatch(/^ft:scripted-base:starloop:ftjob-/);
  const posts = (path: string) => server.requests.filter((r) => r.method === 'POST' && r.path === path).length;
  expect(posts('/v1/files')).toBe(1);
  expect(posts('/v1/fine_tuning/jobs')).toBe(1);
});
