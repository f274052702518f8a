import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TrainerState } from '../../src/schema/training.ts';
import type { StateCell } from '../../src/store/run-store.ts';
import type { TrainProgress, TrainRequest } from '../../src/trainer/trainer.ts';

/** A trainer state kept in memory, with every write recorded. */
export function memoryState(initial?: TrainerState): StateCell & { writes: TrainerState[] } {
  let value = initial;
  const writes: TrainerState[] = [];
  return {
    writes,
    read: async () => value,
    write: async (next) => {
      value = structuredClone(next);
      writes.push(value);
    },
  };
}

export const exampleLines = [
  { messages: [{ role: 'user', content: 'What is 9 * 7?' }, { role: 'assistant', content: 'Nine sevens are 63. The answer is 63.' }] },
  { messages: [{ role: 'user', content: 'What is 17 + 25?' }, { role: 'assistant', content: '17 + 25 = 42. The answer is 42.' }] },
];

/** A train request over a small chat-format dataset in a fresh temp directory. */
export async function trainRequest(overrides: Partial<TrainRequest> = {}): Promise<TrainRequest & { progress: TrainProgress[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'starloop-train-'));
  const datasetPath = join(dir, 'dataset.jsonl');
  await writeFile(datasetPath, exampleLines.map((line) => JSON.stringify(line)).join('\n') + '\n');
  const progress: TrainProgress[] = [];
  return {
    datasetPath,
    examples: exampleLines.length,
    base: { model: 'scripted-base' },
    start: { model: 'scripted-base' },
    round: 1,
    outDir: join(dir, 'out'),
    state: memoryState(),
    onProgress: (p) => progress.push(p),
    progress,
    ...overrides,
  };
}
