import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { OpenAITrainConfig } from '../../src/config/schema.ts';
import { createOpenAITrainer } from '../../src/trainer/openai.ts';
import { startOpenAIServer, type OpenAITestServer } from '../helpers/openai-server.ts';
import { memoryState, trainRequest } from '../helpers/train-request.ts';

let server: OpenAITestServer;
beforeAll(async () => {
  server = await startOpenAIServer({ trainMs: 60 });
});
afterAll(() => server.close());

test('uploads the dataset, creates a supervised job, polls it to success and returns the fine-tuned model', async () => {
  const config = OpenAITrainConfig.parse({ type: 'openai', pollIntervalMs: 10, suffix: 'r1', hyperparameters: { n_epochs: 2 } });
  const trainer = createOpenAITrainer(config, { baseURL: server.url, apiKeyEnv: 'OPENAI_API_KEY', env: {} });
  const state = memoryState();
  const request = await trainRequest({ state });
  const result = await trainer.train(request);

  expect(result.model).toMatch(/^ft:scripted-base:starloop:ftjob-[0-9a-f]+$/);
  const [upload] = server.uploads();
  expect(upload.purpose).toBe('fine-tune');
  expect(await readFile(upload.path, 'utf8')).toBe(await readFile(request.datasetPath, 'utf8'));
  const create = server.requests.find((r) => r.path === '/v1/fine_tuning/jobs' && r.method === 'POST');
  expect(create?.body).toEqual({
    model: 'scripted-base',
    training_file: upload.id,
    suffix: 'r1',
    method: { type: 'supervised', supervised: { hyperparameters: { n_epochs: 2 } } },
  });
  const jobId = result.model.split(':').at(-1);
  expect(state.writes).toEqual([{ fileId: upload.id }, { fileId: upload.id, jobId }]);
  const stages = request.progress.map((p) => p.stage);
  expect(stages[0]).toBe('uploading');
  expect(stages).toContain('running');
  expect(stages.at(-1)).toBe('succeeded');
  expect(request.progress.some((p) => p.stage === 'event' && p.done === 3 && p.total === 3)).toBe(true);
  // The server now serves the new model.
  const models = (await (await fetch(`${server.url}/models`)).json()) as { data: { id: string }[] };
  expect(models.data.map((m) => m.id)).toContain(result.model);
});
