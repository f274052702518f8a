import { afterAll, beforeAll, expect, test } from 'vitest';
import { OpenAITrainConfig } from '../../src/config/schema.ts';
import { createOpenAITrainer } from '../../src/trainer/openai.ts';
import { startOpenAIServer, type OpenAITestServer } from '../helpers/openai-server.ts';
import { trainRequest } from '../helpers/train-request.ts';

let server: OpenAITestServer;
beforeAll(async () => {
  server = await startOpenAIServer({ trainMs: 30 });
});
afterAll(() => server.close());

test('a job created on the server whose answer was lost is adopted, not created (and paid for) twice', async () => {
  server.faults.set({ lostResponse: { times: 1 }, paths: ['/v1/fine_tuning/jobs'] });
  const trainer = createOpenAITrainer(OpenAITrainConfig.parse({ type: 'openai', pollIntervalMs: 10 }), { baseURL: server.url, apiKeyEnv: 'OPENAI_API_KEY', env: {} });
  const request = await trainRequest();
  const result = await trainer.train(request);
  expect(result.model).toMatch(/^ft:scripted-base:starloop:ftjob-/);
  const creates = server.requests.filter((r) => r.method === 'POST' && r.path === '/v1/fine_tuning/jobs');
  expect(creates).toHaveLength(1);
  expect((request.state as unknown as { writes: { jobId?: string }[] }).writes.at(-1)?.jobId).toBe(result.model.split(':').at(-1));
});
