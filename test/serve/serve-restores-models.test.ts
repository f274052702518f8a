import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI, { toFile } from 'openai';
import { expect, test } from 'vitest';
import type { Generation, Policy } from '../../src/policy/policy.ts';
import { createServedModels } from '../../src/serve/models.ts';
import { startServer } from '../../src/serve/server.ts';
import type { Trainer } from '../../src/trainer/trainer.ts';

const namePolicy = (id: string): Policy => ({
  id,
  async *generate(requests): AsyncGenerator<Generation> {
    for (const r of requests) for (const index of r.indices) yield { key: r.key, index, text: id, finishReason: 'stop', usage: { promptTokens: 1, completionTokens: 1 }, model: id, latencyMs: 0 };
  },
});
const trainer: Trainer = { id: 'instant', train: async (request) => ({ model: request.start.model, checkpoint: join(request.outDir, 'w.bin') }) };

test('a restarted server in the same workDir still serves the models fine-tuned before', async () => {
  const workDir = await mkdtemp(join(tmpdir(), 'starloop-serve-restart-'));
  const start = () => startServer({ port: 0, models: createServedModels({ base: { model: 'base' } }, namePolicy), trainer, workDir });
  const first = await start();
  const client = new OpenAI({ baseURL: first.url, apiKey: 'unused', maxRetries: 0 });
  const file = await client.files.create({ file: await toFile(Buffer.from('{"messages":[{"role":"assistant","content":"a"}]}\n'), 't.jsonl'), purpose: 'fine-tune' });
  let job = await client.fineTuning.jobs.create({ model: 'base', training_file: file.id });
  while (job.status !== 'succeeded' && job.status !== 'failed') job = await client.fineTuning.jobs.retrieve(job.id);
  expect(job.status).toBe('succeeded');
  await first.close();

  const second = await start();
  try {
    const models = (await (await fetch(`${second.url}/models`)).json()) as { data: { id: string }[] };
    expect(models.data.map((m) => m.id)).toEqual(['base', job.fine_tuned_model]);
  } finally {
    await second.close();
    await rm(workDir, { recursive: true, force: true });
  }
});
