import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileFormatError } from '../../src/errors.ts';
import { createEmbeddedTrainer } from '../../src/trainer/embedded.ts';
import type { TrainProgress, TrainRequest } from '../../src/trainer/trainer.ts';
import { writeTinyCheckpoint } from './helpers.ts';
import type { TrainerState } from '../../src/schema/training.ts';

const line = (prompt: string, answer: string) =>
  JSON.stringify({ messages: [{ role: 'user', content: prompt }, { role: 'assistant', content: answer }] });

describe('embedded trainer', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'starloop-trainer-'));
  const start = await writeTinyCheckpoint(dir);
  const dataset = join(dir, 'data.jsonl');
  await writeFile(dataset, [line('21+43=', '640'), line('5+6=', '11'), line('9+1=', '01')].join('\n') + '\n');

  function request(outDir: string, datasetPath = dataset, progress: TrainProgress[] = []): TrainRequest {
    let stored: TrainerState | undefined;
    return {
      datasetPath, examples: 3, base: { model: 'b', checkpoint: start }, start: { model: 'b', checkpoint: start }, round: 1,
      outDir: join(dir, outDir), state: { read: async () => stored, write: async (v) => void (stored = v) },
      onProgress: (p) => progress.push(p),
    };
  }

  it('fine-tunes into a new checkpoint deterministically and reports step progress', async () => {
    const trainer = createEmbeddedTrainer({ type: 'embedded', restartFromBase: true, steps: 12, batchSize: 2 });
    const progress: TrainProgress[] = [];
    const first = await trainer.train(request('one', dataset, progress));
    expect(existsSync(first.checkpoint!)).toBe(true);
    expect(first.model).toMatch(/^embedded:[0-9a-f]{12}$/);
    expect(progress.at(-1)).toEqual({ stage: 'step', done: 12, total: 12 });
    const second = await trainer.train(request('two'));
    expect(second.model).toBe(first.model);
  });

  it('a resumed round returns the finished checkpoint recorded in its state instead of training again', async () => {
    const trainer = createEmbeddedTrainer({ type: 'embedded', restartFromBase: true, steps: 12, batchSize: 2 });
    const first = request('resume');
    const done = await trainer.train(first);
    const progress: TrainProgress[] = [];
    const again = await trainer.train({ ...first, onProgress: (p) => progress.push(p) });
    expect(again).toEqual(done);
    expect(progress).toEqual([]);
  });

  it('returns the start policy unchanged for an empty dataset', async () => {
    const empty = join(dir, 'empty.jsonl');
    await writeFile(empty, '');
    const trainer = createEmbeddedTrainer({ type: 'embedded', restartFromBase: true, steps: 3 });
    expect(await trainer.train(request('empty', empty))).toEqual({ model: 'b', checkpoint: start });
  });

  it('names file:line for a malformed dataset line', async () => {
    const bad = join(dir, 'bad.jsonl');
    await writeFile(bad, `${line('1+1=', '20')}\n{"messages":[{"role":"user","content":"x"}]}\n`);
    const trainer = createEmbeddedTrainer({ type: 'embedded', restartFromBase: true, steps: 3 });
    const failure = trainer.train(request('bad', bad));
    await expect(failure).rejects.toThrow(FileFormatError);
    await expect(trainer.train(request('bad', bad))).rejects.toThrow(/bad\.jsonl:2:/);
  });
});
