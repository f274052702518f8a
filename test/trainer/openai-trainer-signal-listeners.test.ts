import { getEventListeners } from 'node:events';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { OpenAITrainConfig } from '../../src/config/schema.ts';
import { createOpenAITrainer } from '../../src/trainer/openai.ts';
import { startOpenAIServer, type OpenAITestServer } from '../helpers/openai-server.ts';
import { trainRequest } from '../helpers/train-request.ts';

let server: OpenAITestServer;
beforeAll(async () => {
  server = await startOpenAIServer({ trainMs: 300 });
});
afterAll(() => server.close());

test('polling a long job leaves no abort listeners behind on the caller signal', async () => {
  const abort = new AbortController();
  const trainer = createOpenAITrainer(OpenAITrainConfig.parse({ type: 'openai', pollIntervalMs: 5 }), { baseURL: server.url, apiKeyEnv: 'OPENAI_API_KEY', env: {} });
  const request = await trainRequest({ signal: abort.signal });
  await trainer.train(request);
  expect(server.requests.filter((r) => r.method === 'GET').length).toBeGreaterThan(10);
  expect(getEventListeners(abort.signal, 'abort')).toHaveLength(0);
});
