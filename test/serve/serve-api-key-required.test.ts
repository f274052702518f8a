import { expect, test } from 'vitest';
import { runCli, startCli, tempDir } from '../e2e/cli.ts';

test('serving on an address other machines reach needs a key, named by --api-key-env', async () => {
  const workDir = await tempDir();
  const open = await runCli(['serve', '--host', '0.0.0.0', '--port', '0', '--work-dir', workDir, '--no-fine-tuning']);
  expect(open.code).toBe(2);
  expect(open.stderr).toMatch(/--host 0\.0\.0\.0 lets other machines connect: give --api-key-env VAR/);
  expect(open.stdout).toBe('');

  const keyed = startCli(['serve', '--host', '0.0.0.0', '--port', '0', '--work-dir', workDir, '--no-fine-tuning', '--api-key-env', 'SERVE_TEST_KEY'], {
    env: { SERVE_TEST_KEY: 'sk-test-serve' },
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      keyed.child.stdout!.on('data', (chunk) => {
        const match = /listening (http:\/\/\S+)/.exec(String(chunk));
        if (match) resolve(match[1].replace('0.0.0.0', '127.0.0.1'));
      });
      keyed.done.then((result) => reject(new Error(`serve exited: ${result.stderr}`)));
    });
    expect((await fetch(`${url}/models`)).status).toBe(401);
    expect((await fetch(`${url}/models`, { headers: { authorization: 'Bearer sk-test-serve' } })).status).toBe(200);
  } finally {
    keyed.child.kill('SIGTERM');
    await keyed.done;
  }
}, 60_000);
