import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { expect, test } from 'vitest';
import { configKeys } from '../../src/config/keys.ts';
import { resolveConfig } from '../../src/config/load.ts';
import { repoRoot, runCli, startCli, tempDir } from './cli.ts';

const sampleLine = (stderr: string, split: string) => new RegExp(`${split}: 20 native problems → verifier (\\S+)`).exec(stderr)?.[1];

test('starloop init writes a project that runs as is on the embedded model, and whose plug-in verifier passes its golden cases', async () => {
  const dir = join(await tempDir(), 'my-project');
  const init = await runCli(['init', dir]);
  expect(init.code, init.stderr).toBe(0);
  expect((await readdir(dir)).sort()).toEqual(['README.md', 'problems', 'starloop.yaml', 'verifiers']);

  const run = await runCli(['run', '-c', 'starloop.yaml', '--rounds', '1'], { cwd: dir });
  expect(run.code, run.stderr).toBe(0);
  expect(sampleLine(run.stderr, 'train')).toBe('numeric');
  expect(existsSync(join(dir, 'runs/my-project/round-0/dataset.jsonl'))).toBe(true);

  // What `npm i -D starloop zod` gives the project: the package and zod beside it.
  await mkdir(join(dir, 'node_modules'));
  await symlink(repoRoot, join(dir, 'node_modules/starloop'));
  await symlink(join(repoRoot, 'node_modules/zod'), join(dir, 'node_modules/zod'));
  const check = await runCli(['verifiers', 'test', 'verifiers/reversed-sum.mjs', '--cases', 'verifiers/reversed-sum.cases.jsonl'], { cwd: dir });
  expect(check.code, check.stdout + check.stderr).toBe(0);
  expect(check.stdout).toMatch(/golden cases .*: 6\/6 passed/);

  // The README's step: the plug-in as the run's verifier.
  const withPlugin = await runCli(['run', '-c', 'starloop.yaml', '--rounds', '0', '--out', 'runs/plugin', '--set', 'verifier=reversed-sum', '--set', 'verifiers=["verifiers/reversed-sum.mjs"]'], { cwd: dir });
  expect(withPlugin.code, withPlugin.stderr).toBe(0);
  expect(sampleLine(withPlugin.stderr, 'eval')).toBe('reversed-sum');
}, 180_000);

test("the generated README's run against starloop serve works as written, on a free port", async () => {
  const dir = join(await tempDir(), 'served');
  expect((await runCli(['init', dir])).code).toBe(0);
  const readme = await readFile(join(dir, 'README.md'), 'utf8');
  expect(readme).toContain('`npx starloop serve --port 8000`');
  const line = readme.split('\n').map((l) => l.trim()).find((l) => l.startsWith('npx starloop run -c starloop.yaml --set policy.type=openai'));
  expect(line).toBeDefined();

  const server = startCli(['serve', '--port', '0', '--work-dir', join(dir, 'serve')]);
  try {
    const port = await new Promise<string>((resolve, reject) => {
      let out = '';
      server.child.stdout!.on('data', (chunk) => {
        out += chunk;
        const match = /listening http:\/\/127\.0\.0\.1:(\d+)\/v1/.exec(out);
        if (match) resolve(match[1]);
      });
      server.done.then((result) => reject(new Error(`serve exited early: ${result.stderr}`)));
    });
    const args = line!.replace(':8000/', `:${port}/`).split(' ').slice(2);
    const run = await runCli([...args, '--rounds', '1', '--json'], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as { rounds: { model: string }[] };
    expect(report.rounds.map((r) => r.model)).toEqual(['starloop-embedded', expect.stringMatching(/^ft:starloop-embedded:/)]);
  } finally {
    server.child.kill('SIGTERM');
    await server.done;
  }
}, 180_000);

test('the generated config lists every config key and parses to the values it sets', async () => {
  const dir = join(await tempDir(), 'keys');
  expect((await runCli(['init', dir])).code).toBe(0);
  const text = await readFile(join(dir, 'starloop.yaml'), 'utf8');
  for (const key of configKeys()) {
    const name = key.path.split('.').at(-1)!.replace('[]', '');
    expect(text, key.path).toMatch(new RegExp(`^\\s*(#\\s*)?(- )?${name}:`, 'm'));
  }
  const raw = parse(text) as Record<string, unknown>;
  expect(raw).toMatchObject({ policy: { type: 'embedded' }, train: { type: 'embedded' }, verifier: 'numeric' });
  expect(() => resolveConfig(raw, dir, 'starloop.yaml')).not.toThrow();
});

test('starloop init refuses a directory that is not empty, and writes nothing into it', async () => {
  const dir = await tempDir();
  await writeFile(join(dir, 'notes.txt'), 'mine\n');
  const result = await runCli(['init', dir]);
  expect(result.code).toBe(2);
  expect(result.stderr).toMatch(/is not empty/);
  expect(await readdir(dir)).toEqual(['notes.txt']);
});
