import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { RunManifest } from '../../src/schema/manifest.ts';
import { demoConfig, runCli, tempDir, writeConfig } from './cli.ts';

/** A port that was free a moment ago: nothing listens there. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

test('an unreachable server gives a clear error, exit 4, and leaves a resumable run directory', async () => {
  const dir = await tempDir();
  const url = `http://127.0.0.1:${await closedPort()}/v1`;
  const config = await writeConfig(dir, demoConfig(url, { policy: { type: 'openai', baseURL: url, model: 'base-model', maxRetries: 0 } }));
  const runDir = join(dir, 'run');
  const result = await runCli(['run', '-c', config, '--out', runDir, '--quiet']);
  expect(result.code).toBe(4);
  expect(result.stderr).toContain(url);
  expect(result.stderr.split('\n').filter(Boolean).length).toBeLessThan(4);
  RunManifest.parse(JSON.parse(await readFile(join(runDir, 'manifest.json'), 'utf8')));
  expect(existsSync(join(runDir, 'run.lock'))).toBe(false);

  // Resuming against the same dead server fails the same clean way, not with a corrupt-store error.
  const again = await runCli(['run', '-c', config, '--out', runDir, '--resume', '--quiet']);
  expect(again.code).toBe(4);
});
