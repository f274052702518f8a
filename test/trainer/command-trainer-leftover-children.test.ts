import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { CommandTrainConfig } from '../../src/config/schema.ts';
import { createCommandTrainer } from '../../src/trainer/command.ts';
import { trainRequest } from '../helpers/train-request.ts';

/** Running, not a zombie: a container's init may never reap the orphan once it is killed. */
const running = async (pid: number): Promise<boolean> => {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  return /^State:\s+[^Z]/m.test(status);
};

test('a command that succeeds while a child it started still runs returns at once, and the child is stopped', async () => {
  // Like a logging daemon that inherits stdout and outlives the training script.
  const trainer = createCommandTrainer(CommandTrainConfig.parse({ type: 'command', command: 'sleep 30 & echo $! > {outDir}/bg.pid; echo \'{"model": "tuned"}\'' }));
  const request = await trainRequest();
  const started = Date.now();
  await expect(trainer.train(request)).resolves.toEqual({ model: 'tuned' });
  expect(Date.now() - started).toBeLessThan(5_000);
  const pid = Number(await readFile(join(request.outDir, 'bg.pid'), 'utf8'));
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(await running(pid)).toBe(false);
}, 40_000);
