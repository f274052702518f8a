import { afterAll, beforeAll, expect, test } from 'vitest';
import { OpenAITrainConfig } from '../../src/config/schema.ts';
import { TrainerError } from '../../src/errors.ts';
import { createOpenAITrainer } from '../../src/trainer/openai.ts';
import { startOpenAIServer, type OpenAITestServer } from '../helpers/openai-server.ts';
import { memoryState, trainRequest } from '../helpers/train-request.ts';

let server: OpenAITestServer;
beforeAll(async () => {
  server = await startOpenAIServer({ trainMs: 20, faults: { failFineTune: 'loss diverged at step 2' } });
});
afterAll(() => server.close());

test('a failed job is a TrainerError naming the job and the server message; the upload is kept for a retry', async () => {
  const trainer = createOpenAITrainer(OpenAITrainConfig.parse({ type: 'openai', pollIntervalMs: 10 }), { baseURL: server.url, apiKeyEnv: 'OPENAI_API_KEY', env: {} });
  const state = memoryState();
  const error = await trainer.train(await trainRequest({ state })).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(TrainerError);
  const jobId = (state.writes[1] as { jobId: string }).jobId;
  expect((error as TrainerError).message).toBe(`fine-tuning job ${jobId} failed: loss diverged at step 2`);
  const fileId = (state.writes[0] as { fileId: string }).fileId;
  expect(await state.read()).toEqual({ fileId });
});
