import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { demoConfig, fixture, runCli, tempDir, writeConfig } from './cli.ts';

test('a bad problem line is reported as file:line and nothing is sampled', async () => {
  const dir = await tempDir();
  const problems = join(dir, 'train.jsonl');
  await writeFile(problems, '{"id":"a","prompt":"1+1?","answer":"2"}\n{"id":"b","prompt":"2+2?","answer":"4"}\n{"id":"c","answer":"5"}\n');
  const config = await writeConfig(dir, demoConfig('http://127.0.0.1:9/v1', { problems: { train: problems, eval: fixture('eval.jsonl') } }));
  const result = await runCli(['run', '-c', config, '--out', join(dir, 'run')]);
  expect(result.code).toBe(2);
  expect(result.stderr).toContain(`${problems}:3:`);

  const check = await runCli(['problems', 'check', problems]);
  expect(check.code).toBe(2);
  expect(check.stderr).toContain(`${problems}:3:`);
});
