import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startOpenAIServer, type OpenAITestServer } from '../helpers/openai-server.ts';

let server: OpenAITestServer;
let client: OpenAI;
beforeAll(async () => {
  server = await startOpenAIServer({ models: ['base-model'], answers: {}, trainMs: 5 });
  client = new OpenAI({ baseURL: server.url, apiKey: 'unused', maxRetries: 0 });
});
afterAll(() => server.close());

const prompt = [{ role: 'user' as const, content: 'What is 2 + 2?' }];
const preference = { input: { messages: prompt }, preferred_output: [{ role: 'assistant', content: '4' }], non_preferred_output: [{ role: 'assistant', content: '5' }] };
const chat = { messages: [...prompt, { role: 'assistant', content: '4' }] };

async function finish(lines: unknown[], method: OpenAI.FineTuning.JobCreateParams['method']) {
  const file = await client.files.create({ file: await toFile(Buffer.from(lines.map((l) => JSON.stringify(l)).join('\n')), 'train.jsonl'), purpose: 'fine-tune' });
  let job = await client.fineTuning.jobs.create({ model: 'base-model', training_file: file.id, method });
  while (!['succeeded', 'failed', 'cancelled'].includes(job.status)) job = await client.fineTuning.jobs.retrieve(job.id);
  return job;
}

test('the test server runs DPO jobs on preference lines and echoes the method with its beta, as OpenAI does', async () => {
  const job = await finish([preference], { type: 'dpo', dpo: { hyperparameters: { beta: 0.1 } } });
  expect(job.status).toBe('succeeded');
  expect(job.method).toEqual({ type: 'dpo', dpo: { hyperparameters: { beta: 0.1 } } });
});

test('a DPO job on a chat file, or a supervised job on preference lines, fails file validation naming the line', async () => {
  const dpoOnChat = await finish([chat], { type: 'dpo', dpo: {} });
  expect(dpoOnChat.status).toBe('failed');
  expect(dpoOnChat.error).toMatchObject({ code: 'invalid_training_file' });
  expect(dpoOnChat.error?.message).toMatch(/line 1/);
  const supervisedOnPairs = await finish([preference], { type: 'supervised' });
  expect(supervisedOnPairs.status).toBe('failed');
  expect(supervisedOnPairs.error?.message).toMatch(/line 1/);
});
