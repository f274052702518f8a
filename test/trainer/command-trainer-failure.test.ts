import { expect, test } from 'vitest';
import { CommandTrainConfig } from '../../src/config/schema.ts';
import { TrainerError } from '../../src/errors.ts';
import { createCommandTrainer } from '../../src/trainer/command.ts';
import { trainRequest } from '../helpers/train-request.ts';

const train = async (command: string, timeoutMs?: number): Promise<TrainerError> =>
  createCommandTrainer(CommandTrainConfig.parse({ type: 'command', command, ...(timeoutMs ? { timeoutMs } : {}) }))
    .train(await trainRequest())
    .then(
      () => {
        throw new Error('expected a failure');
      },
      (e: unknown) => e as TrainerError,
    );

test('a non-zero exit is a TrainerError with the status and the last lines of output', async () => {
  const error = await train('echo loading; echo "CUDA out of memory" >&2; exit 3');
  expect(error).toBeInstanceOf(TrainerError);
  expect(error.message).toContain('exited with status 3');
  expect(error.message).toContain('CUDA out of memory');
});

test('a command that prints no result line is a TrainerError explaining the expected line', async () => {
  const error = await train('echo done training');
  expect(error).toBeInstanceOf(TrainerError);
  expect(error.message).toContain("last stdout line is not JSON");
  expect(error.message).toContain('{"model": "my-model"');
  expect(error.message).toContain('done training');
});

test('a result line without a model is a TrainerError naming the field', async () => {
  const error = await train(`echo '{"checkpoint": "/tmp/x"}'`);
  expect(error.message).toMatch(/model: /);
});

test('a command over its time limit is stopped, with its children', async () => {
  const started = Date.now();
  const error = await train('sleep 30 & sleep 30; echo late', 300);
  expect(Date.now() - started).toBeLessThan(3_000);
  expect(error.code).toBe('TRAINER_TIMEOUT');
});
