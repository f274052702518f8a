import { inspect } from 'node:util';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { OpenAITrainConfig } from '../../src/config/schema.ts';
import { TrainerError } from '../../src/errors.ts';
import { createOpenAITrainer } from '../../src/trainer/openai.ts';
import { startOpenAIServer, type OpenAITestServer } from '../helpers/openai-server.ts';
import { trainRequest } from '../helpers/train-request.ts';

let server: OpenAITestServer;
beforeAll(async () => {
  // The fault echoes a refused key in its error text, as careless servers do.
  server = await startOpenAIServer({ faults: { apiKey: 'sk-the-right-one' } });
});
afterAll(() => server.close());

test('a refused key echoed by the server appears nowhere in the error or its cause chain', async () => {
  const wrong = 'sk-wrong-trainer-secret-424242';
  const trainer = createOpenAITrainer(OpenAITrainConfig.parse({ type: 'openai', pollIntervalMs: 10 }), { baseURL: server.url, apiKeyEnv: 'OPENAI_API_KEY', env: { OPENAI_API_KEY: wrong } });
  const error = await trainer.train(await trainRequest()).then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e as TrainerError,
  );
  expect(error).toBeInstanceOf(TrainerError);
  expect(error.message).toContain('uploading the dataset');
  // What a CLI prints with `console.error(error)` walks the whole cause chain.
  expect(inspect(error, { depth: 20 })).not.toContain(wrong);
});
