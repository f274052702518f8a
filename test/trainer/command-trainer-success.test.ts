import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { CommandTrainConfig } from '../../src/config/schema.ts';
import { createCommandTrainer } from '../../src/trainer/command.ts';
import { trainRequest } from '../helpers/train-request.ts';

test('runs the command with quoted placeholders, streams its output and reads the model from the last stdout line', async () => {
  // A model id with a space and a quote proves the values reach the command as single words.
  const command = [
    'echo "training from $1 (base $2) round $3" >&2',
    'wc -l < {dataset} > "$4/lines.txt"',
    'echo step 1',
    `printf '{"model":"%s-tuned","checkpoint":"%s/adapter"}\\n' "$1" "$4"`,
  ].join('; ');
  const trainer = createCommandTrainer(CommandTrainConfig.parse({ type: 'command', command: `sh -c '${command.replace(/'/g, `'\\''`)}' train {start} {base} {round} {outDir}` }));
  const request = await trainRequest({ start: { model: "my model's v1" }, round: 2 });
  const result = await trainer.train(request);

  expect(result).toEqual({ model: "my model's v1-tuned", checkpoint: `${request.outDir}/adapter` });
  expect((await readFile(join(request.outDir, 'lines.txt'), 'utf8')).trim()).toBe('2');
  const logs = request.progress.filter((p) => p.stage === 'log').map((p) => p.message);
  expect(logs).toContain("training from my model's v1 (base scripted-base) round 2");
  expect(logs).toContain('step 1');
});
