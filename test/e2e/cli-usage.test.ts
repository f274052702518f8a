import { expect, test } from 'vitest';
import { runCli, startCli } from './cli.ts';

test('a bad option value names the option and exits 2', async () => {
  const result = await runCli(['run', '--rounds', 'abc']);
  expect(result.code).toBe(2);
  expect(result.stderr).toMatch(/--rounds must be a whole number/);
});

test('an unknown command suggests the near one', async () => {
  const result = await runCli(['rnu']);
  expect(result.code).toBe(2);
  expect(result.stderr).toMatch(/Did you mean run\?/);
});

test('every command has help with examples', async () => {
  for (const command of [['run'], ['sample'], ['verify'], ['eval'], ['export'], ['report'], ['compare'], ['problems', 'check'], ['verifiers', 'test'], ['serve']]) {
    const result = await runCli([...command, '--help']);
    expect(result.code, command.join(' ')).toBe(0);
    expect(result.stdout, command.join(' ')).toMatch(/Examples?:/);
  }
});

test('a reader that closes stdout early (`| head`) gets no stack trace and a normal exit', async () => {
  // Help is written at once; the pipe is closed before the CLI starts, so that write fails with EPIPE.
  const { child, done } = startCli(['run', '--help']);
  child.stdout!.destroy();
  const result = await done;
  expect(result.stderr).not.toMatch(/EPIPE|Unhandled|at .*\.js/);
  expect(result.code).toBe(0);
});
