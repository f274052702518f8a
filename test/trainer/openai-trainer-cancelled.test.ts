import { afterAll, beforeAll, expect, test } from 'vitest';
import { OpenAITrainConfig } from '../../src/config/schema.ts';
import { TrainerError } from '../../src/errors.ts';
import { createOpenAITrainer } from '../../src/trainer/openai.ts';
import { startOpenAIServer, type OpenAITestServer } from '../helpers/openai-server.ts';
import { trainRequest } from '../helpers/train-request.ts';

let server: OpenAITestServer;
beforeAll(async () => {
  server = await startOpenAIServer({ trainMs: 5_000 });
});
afterAll(() => server.close());

test('a job cancelled on the server is a TrainerError saying so', async () => {
  const trainer = createOpenAITrainer(OpenAITrainConfig.parse({ type: 'openai', pollIntervalMs: 10 }), { baseURL: server.url, apiKeyEnv: 'OPENAI_API_KEY', env: {} });
  const request = await trainRequest();
  const training = trainer.train(request).catch((e: unknown) => e);
  while (!request.progress.some((p) => p.stage === 'running')) await new Promise((r) => setTimeout(r, 5));
  const submitted = request.progress.find((p) => p.stage === 'submitted')!.message!.replace('job ', '');
  const cancel = await fetch(`${server.url}/fine_tuning/jobs/${submitted}/cancel`, { method: 'POST' });
  expect(((await cancel.json()) as { status: string }).status).toBe('cancelled');
  const error = await training;
  expect(error).toBeInstanceOf(TrainerError);
  expect((error as TrainerError).message).toBe(`fine-tuning job ${submitted} cancelled`);
});
