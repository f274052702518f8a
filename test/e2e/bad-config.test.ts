import { expect, test } from 'vitest';
import { demoConfig, runCli, tempDir, writeConfig } from './cli.ts';

test('a config with a wrong type names the key and the file, and exits 2', async () => {
  const dir = await tempDir();
  const config = await writeConfig(dir, demoConfig('http://127.0.0.1:9/v1', { sampling: { k: 'eight' } }));
  const result = await runCli(['run', '-c', config, '--out', `${dir}/run`]);
  expect(result.code).toBe(2);
  expect(result.stderr).toContain(config);
  expect(result.stderr).toMatch(/sampling\.k/);
});

test('an unknown key is refused rather than ignored', async () => {
  const dir = await tempDir();
  const config = await writeConfig(dir, demoConfig('http://127.0.0.1:9/v1', { smapling: { k: 4 } }));
  const result = await runCli(['run', '-c', config, '--out', `${dir}/run`]);
  expect(result.code).toBe(2);
  expect(result.stderr).toMatch(/smapling/);
});

test('an unknown verifier suggests the near name', async () => {
  const dir = await tempDir();
  const config = await writeConfig(dir, demoConfig('http://127.0.0.1:9/v1', { verifier: 'numeirc' }));
  const result = await runCli(['run', '-c', config, '--out', `${dir}/run`]);
  expect(result.code).toBe(2);
  expect(result.stderr).toMatch(/did you mean 'numeric'/i);
});

test('--control is refused for a config that is not the embedded model', async () => {
  const dir = await tempDir();
  const config = await writeConfig(dir, demoConfig('http://127.0.0.1:9/v1'));
  const result = await runCli(['run', '-c', config, '--control', '--out', `${dir}/run`]);
  expect(result.code).toBe(2);
  expect(result.stderr).toMatch(/--control .* needs policy.type and train.type embedded/);
});
