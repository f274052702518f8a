import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { type CliResult, repoRoot, runCli, tempDir, writeConfig } from './cli.ts';

/** One line of error on stderr, no stack trace. */
function expectOneLineError(result: CliResult, code: number, pattern: RegExp): void {
  expect(result.code, result.stderr).toBe(code);
  expect(result.stderr).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
}

const arithmetic = (overrides: Record<string, unknown> = {}) => ({
  problems: { train: join(repoRoot, 'problems/arith/train.jsonl'), eval: join(repoRoot, 'problems/arith/eval.jsonl'), limit: 4 },
  verifier: 'numeric',
  rounds: 1,
  ...overrides,
});

test('serve on a port another process holds exits 4 with the fix in one line', async () => {
  const holder = createServer();
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  const { port } = holder.address() as { port: number };
  try {
    const result = await runCli(['serve', '--port', String(port), '--work-dir', await tempDir()]);
    expectOneLineError(result, 4, new RegExp(`another process already uses port ${port}`));
  } finally {
    holder.close();
  }
});

test('serve --port that is not a port exits 2', async () => {
  for (const bad of ['80000', 'eight', '-1']) {
    const result = await runCli(['serve', '--port', bad]);
    expect(result.code, bad).toBe(2);
    expect(result.stderr).toMatch(/--port must be a port number from 0 to 65535/);
  }
});

test('a missing --checkpoint is a one-line bad-input error for serve, eval and sample', async () => {
  const dir = await tempDir();
  const config = await writeConfig(dir, arithmetic());
  const missing = join(dir, 'nope.ckpt');
  expectOneLineError(await runCli(['serve', '--port', '0', '--checkpoint', missing, '--work-dir', dir]), 2, /--checkpoint .*nope\.ckpt: no such file/);
  expectOneLineError(await runCli(['eval', '-c', config, '--checkpoint', missing]), 2, /--checkpoint .*nope\.ckpt: no such file/);
  expectOneLineError(await runCli(['sample', '-c', config, '--checkpoint', missing, '--out', join(dir, 's.jsonl')]), 2, /--checkpoint .*nope\.ckpt: no such file/);
  expect(existsSync(join(dir, 's.jsonl'))).toBe(false);
});

test('a --checkpoint that is not a checkpoint stops serve before it listens', async () => {
  const dir = await tempDir();
  const result = await runCli(['serve', '--port', '0', '--checkpoint', join(repoRoot, 'package.json'), '--work-dir', dir]);
  expectOneLineError(result, 2, /not a starloop checkpoint/);
  expect(result.stdout).not.toMatch(/listening/);
});

test('an embedded policy checkpoint that does not exist is refused before a run directory is made', async () => {
  const dir = await tempDir();
  const config = await writeConfig(dir, arithmetic({ policy: { type: 'embedded', checkpoint: 'weights/missing.ckpt' } }));
  const result = await runCli(['run', '-c', config, '--out', join(dir, 'run')]);
  expectOneLineError(result, 2, /policy\.checkpoint .*weights\/missing\.ckpt is not a file/);
  expect(existsSync(join(dir, 'run'))).toBe(false);
});

test('an unknown key in a config file suggests the key it is near, within its own mapping', async () => {
  const dir = await tempDir();
  const config = await writeConfig(dir, arithmetic({ sampling: { temprature: 1 }, train: { type: 'command', comand: 'true' } }));
  const result = await runCli(['run', '-c', config, '--out', join(dir, 'run')]);
  expect(result.code).toBe(2);
  expect(result.stderr).toMatch(/sampling\.temprature: unknown key\. Did you mean 'temperature'\?/i);
  expect(result.stderr).toMatch(/train\.comand: unknown key\. Did you mean 'command'\?/i);
  expect(result.stderr).not.toMatch(/\n\s+at /);
});
