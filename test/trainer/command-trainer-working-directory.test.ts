import { relative, resolve } from 'node:path';
import { expect, test } from 'vitest';
import { CommandTrainConfig } from '../../src/config/schema.ts';
import { createCommandTrainer, renderCommand } from '../../src/trainer/command.ts';
import { trainRequest } from '../helpers/train-request.ts';

test('the training command runs in the directory starloop was started in, so a relative script path works', async () => {
  const trainer = createCommandTrainer(CommandTrainConfig.parse({ type: 'command', command: `pwd; printf '{"model":"tuned"}\\n'` }));
  const request = await trainRequest();
  await trainer.train(request);
  const logs = request.progress.filter((p) => p.stage === 'log').map((p) => p.message);
  expect(logs[0]).toBe(process.cwd());
});

test('{dataset} and {outDir} are absolute even when the run directory was given relative', async () => {
  const request = await trainRequest();
  const relativeRequest = { ...request, datasetPath: relative(process.cwd(), request.datasetPath), outDir: relative(process.cwd(), request.outDir) };
  expect(renderCommand('train {dataset} {outDir}', relativeRequest)).toBe(`train '${resolve(request.datasetPath)}' '${resolve(request.outDir)}'`);
});
