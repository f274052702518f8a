import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { loadCheckpoint } from '../../src/embedded/checkpoint.ts';
import { createEmbeddedTrainer } from '../../src/trainer/embedded.ts';
import { RunConfig } from '../../src/config/schema.ts';
import { renderCommand } from '../../src/trainer/command.ts';
import { stepsForRound } from '../../src/trainer/steps.ts';
import { trainRequest } from '../helpers/train-request.ts';

test("a growth factor gives STaR's schedule: 40 steps, then 20% more each round, truncated as its code does", () => {
  expect([1, 2, 3, 4, 5, 6].map((r) => stepsForRound({ start: 40, growth: 1.2 }, r))).toEqual([40, 48, 57, 69, 82, 99]);
  expect([1, 2, 3].map((r) => stepsForRound({ start: 100, growth: 1 }, r))).toEqual([100, 100, 100]);
});

test('a list gives each round its entry, the last repeating; a number is every round', () => {
  expect([1, 2, 3, 4].map((r) => stepsForRound([10, 20, 30], r))).toEqual([10, 20, 30, 30]);
  expect(stepsForRound(7, 9)).toBe(7);
  expect(() => stepsForRound(7, 0)).toThrow(RangeError);
});

test('the config accepts the three forms and refuses a shrinking factor or an empty list', () => {
  const parse = (steps: unknown) => RunConfig.safeParse({ problems: { train: 't' }, train: { type: 'embedded', steps } });
  for (const ok of [40, [40, 48], { start: 40, growth: 1.2 }]) expect(parse(ok).success).toBe(true);
  for (const bad of [0, [], { start: 40, growth: 0.5 }, { start: 40 }]) expect(parse(bad).success).toBe(false);
});

test('a command trainer is given the round\'s steps as {steps}', async () => {
  const request = await trainRequest({ round: 3 });
  expect(renderCommand('train --steps {steps} --round {round}', request, { start: 40, growth: 1.2 })).toBe("train --steps '57' --round '3'");
});

test('the embedded trainer trains the scheduled number of steps in each round', async () => {
  const trainer = createEmbeddedTrainer({ type: 'embedded', restartFromBase: true, steps: { start: 3, growth: 2 } });
  for (const [round, steps] of [[1, 3], [3, 12]]) {
    const request = await trainRequest({ round, datasetPath: await arithDataset() });
    const ref = await trainer.train(request);
    expect(request.progress.at(-1)).toMatchObject({ stage: 'step', done: steps, total: steps });
    expect((await loadCheckpoint(ref.checkpoint!)).meta.steps).toBe(steps);
  }
});

async function arithDataset(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'starloop-steps-'));
  const path = join(dir, 'dataset.jsonl');
  const lines = ['12000+34000=', '50000+50000='].map((prompt, i) => ({ messages: [{ role: 'user', content: prompt }, { role: 'assistant', content: ['460000', '001000'][i] }] }));
  await writeFile(path, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  return path;
}
