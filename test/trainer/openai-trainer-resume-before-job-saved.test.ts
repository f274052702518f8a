import { readFile } from 'node:fs/promises';
import OpenAI, { toFile } from 'openai';
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

test('a round killed after creating its job but before saving the id continues that job on resume', async () => {
  // What the killed process did: uploaded, saved the file id, created the job, died.
  const request = await trainRequest();
  const client = new OpenAI({ baseURL: server.url, apiKey: 'unused' });
  const file = await client.files.create({ file: await toFile(await readFile(request.datasetPath), 'dataset.jsonl'), purpose: 'fine-tune' });
  const job = await client.fineTuning.jobs.create({ model: 'scripted-base', training_file: file.id });

  const trainer = createOpenAITrainer(OpenAITrainConfig.parse({ type: 'openai', pollIntervalMs: 10 }), { baseURL: server.url, apiKeyEnv: 'OPENAI_API_KEY', env: {} });
  const result = await trainer.train({ ...request, state: memoryState({ fileId: file.id }) });
  expect(result.model.endsWith(job.id)).toBe(true);
  expect(server.requests.filter((r) => r.method === 'POST' && r.path === '/v1/fine_tuning/jobs')).toHaveLength(1);
});
