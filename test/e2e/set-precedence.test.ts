import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { runCli, tempDir } from './cli.ts';

test('--set sampling.k is not undone by the --k flag left out', async () => {
  const out = join(await tempDir(), 'samples.jsonl');
  const result = await runCli(['sample', '--set', 'sampling.k=2', '--set', 'problems.limit=3', '--out', out, '--quiet']);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const lines = (await readFile(out, 'utf8')).trim().split('\n');
  expect(lines).toHaveLength(3 * 2);
});

test('--set of an unknown key is a usage error naming the key and the nearest known one', async () => {
  const result = await runCli(['run', '--set', 'sampling.kk=2', '--out', join(await tempDir(), 'never')]);
  expect(result.code).toBe(2);
  expect(result.stderr).toBe("starloop: --set sampling.kk: no such config key. Did you mean 'sampling.k'?\n");
});
