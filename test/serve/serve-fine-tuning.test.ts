import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Generation, Policy } from '../../src/policy/policy.ts';
import type { PolicyRef } from '../../src/schema/training.ts';
import { createServedModels } from '../../src/serve/models.ts';
import { startServer, type RunningServer } from '../../src/serve/server.ts';
import type { Trainer, TrainRequest } from '../../src/trainer/trainer.ts';

const constantPolicy = (id: string, ref: PolicyRef): Policy => ({
  id,
  async *generate(requests): AsyncGenerator<Generation> {
    for (const r of requests) for (const index of r.indices) yield { key: r.key, index, text: `from ${ref.checkpoint ?? ref.model}`, finishReason: 'stop', usage: { promptTokens: 1, completionTokens: 1 }, model: id, latencyMs: 0 };
  },
});

const seen: TrainRequest[] = [];
const trainer: Trainer = {
  id: 'test',
  async train(request) {
    seen.push(request);
    request.onProgress?.({ stage: 'step', done: 1, total: 1 });
    if (request.examples > 1) throw new Error('too many examples for this test trainer');
    return { model: request.start.model, checkpoint: join(request.outDir, 'model.bin') };
  },
};

let server: RunningServer;
let client: OpenAI;
const workDir = await mkdtemp(join(tmpdir(), 'starloop-serve-ft-'));
beforeAll(async () => {
  server = await startServer({ port: 0, models: createServedModels({ base: { model: 'base' } }, constantPolicy), trainer, workDir });
  client = new OpenAI({ baseURL: server.url, apiKey: 'unused', maxRetries: 0 });
});
afterAll(async () => {
  await server.close();
  await rm(workDir, { recursive: true, force: true });
});

async function runJob(lines: unknown[]) {
  const content = lines.map((l) => JSON.stringify(l)).join('\n');
  const file = await client.files.create({ file: await toFile(Buffer.from(content), 'train.jsonl'), purpose: 'fine-tune' });
  let job = await client.fineTuning.jobs.create({ model: 'base', training_file: file.id, method: { type: 'supervised' } });
  expect(job.status).toBe('validating_files');
  while (!['succeeded', 'failed', 'cancelled'].includes(job.status)) job = await client.fineTuning.jobs.retrieve(job.id);
  return job;
}

const example = { messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: 'a' }] };

test('a job trains in the background and its model is then served under ft:<base>:starloop:<job>', async () => {
  const job = await runJob([example]);
  expect(job.status).toBe('succeeded');
  expect(job.fine_tuned_model).toBe(`ft:base:starloop:${job.id}`);
  expect(seen[0].start).toEqual({ model: 'base' });
  const answer = await client.completions.create({ model: job.fine_tuned_model!, prompt: 'x' });
  expect(answer.choices[0].text).toBe(`from ${join(workDir, 'jobs', job.id, 'model.bin')}`);
  const events = await client.fineTuning.jobs.listEvents(job.id);
  expect(events.data.map((e) => e.message)).toContain('step 1/1');
});

test('a training file without assistant turns fails validation, naming the line', async () => {
  const job = await runJob([example, { messages: [{ role: 'user', content: 'q' }] }]);
  expect(job.status).toBe('failed');
  expect(job.error?.message).toBe('train.jsonl line 2: messages: needs at least one assistant message');
});

test('a trainer error fails the job with its message', async () => {
  const job = await runJob([example, example]);
  expect(job.status).toBe('failed');
  expect(job.error?.message).toBe('too many examples for this test trainer');
});
