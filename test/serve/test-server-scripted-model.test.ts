import OpenAI from 'openai';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startOpenAIServer, type OpenAITestServer } from '../helpers/openai-server.ts';

const answers = { 'Tom has 3 apples and buys 4 more. How many apples does he have?': '7' };
const problem = Object.keys(answers)[0];
let server: OpenAITestServer;
let client: OpenAI;
beforeAll(async () => {
  server = await startOpenAIServer({ answers, models: ['base', 'ft:base:starloop:ftjob-1'], hintQuote: 0.3 });
  client = new OpenAI({ baseURL: server.url, apiKey: 'unused', maxRetries: 0 });
});
afterAll(() => server.close());

async function correctShare(model: string, content: string, n = 100): Promise<{ share: number; texts: string[] }> {
  const response = await client.chat.completions.create({ model, messages: [{ role: 'user', content }], n, seed: 0 });
  const texts = response.choices.map((c) => c.message.content ?? '');
  return { share: texts.filter((t) => t.endsWith('The answer is 7.')).length / n, texts };
}

test('accuracy depends on the model id: base ≈ 0.3, one fine-tune ≈ 0.55, deterministic per seed', async () => {
  const base = await correctShare('base', problem);
  const tuned = await correctShare('ft:base:starloop:ftjob-1', problem);
  expect(base.share).toBeGreaterThan(0.15);
  expect(base.share).toBeLessThan(0.45);
  expect(tuned.share).toBeGreaterThan(0.4);
  expect(tuned.share).toBeLessThan(0.7);
  expect((await correctShare('base', problem)).texts).toEqual(base.texts);
  for (const text of base.texts) expect(text).toMatch(/The answer is \d+\.$/);
});

test('a hint is used most of the time, and sometimes quoted verbatim', async () => {
  const hint = '(Hint: the answer is 7.)';
  const { share, texts } = await correctShare('base', `${problem}\n${hint}`);
  expect(share).toBeGreaterThan(0.8);
  const quoting = texts.filter((t) => t.includes(hint)).length;
  expect(quoting).toBeGreaterThan(10);
  expect(quoting).toBeLessThan(50);
});

test('every request is recorded with model, prompt, n and seed', async () => {
  server.requests.length = 0;
  await client.completions.create({ model: 'base', prompt: problem, n: 2, seed: 5, max_tokens: 30 });
  expect(server.requests).toMatchObject([{ method: 'POST', path: '/v1/completions', model: 'base', prompt: problem, n: 2, seed: 5 }]);
});
