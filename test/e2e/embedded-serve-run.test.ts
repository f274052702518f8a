import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { expect, test } from 'vitest';
import { repoRoot, runCli, startCli, tempDir } from './cli.ts';
import { readmeBlock } from './readme-blocks.ts';

// The README's `starloop serve` path: the two commands it shows, with a free port instead of 8000
// and 40 problems a split so that the round's in-process fine-tune stays short.
test('npx starloop run -c examples/embedded-serve.yaml against npx starloop serve trains and evaluates a fine-tuned model', async () => {
  const commands = readmeBlock('sh', 'examples/embedded-serve.yaml');
  expect(commands).toContain('npx starloop serve --port 8000 --model-name base-model');
  expect(commands).toContain('npx starloop run -c examples/embedded-serve.yaml');
  const example = parse(await readFile(join(repoRoot, 'examples/embedded-serve.yaml'), 'utf8')) as { policy: { baseURL: string } };
  expect(example.policy.baseURL).toBe('http://127.0.0.1:8000/v1');

  const dir = await tempDir();
  const server = startCli(['serve', '--port', '0', '--model-name', 'base-model', '--work-dir', join(dir, 'serve')]);
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      server.child.stdout!.on('data', (chunk) => {
        out += chunk;
        const match = /listening (http:\/\/\S+)/.exec(out);
        if (match) resolve(match[1]);
      });
      server.done.then((result) => reject(new Error(`serve exited early: ${result.stderr}`)));
    });
    const run = await runCli(['run', '-c', 'examples/embedded-serve.yaml', '--set', `policy.baseURL=${url}`, '--set', 'problems.limit=40', '--out', join(dir, 'run'), '--json']);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as { rounds: { round: number; model: string; eval?: { passAt1: number } }[] };
    expect(report.rounds.map((r) => r.round)).toEqual([0, 1]);
    expect(report.rounds[1].model).toMatch(/^ft:base-model:/);
    // The arithmetic task fits the embedded model: it answers, and is right well above chance.
    expect(report.rounds[0].eval!.passAt1).toBeGreaterThan(0.1);
  } finally {
    server.child.kill('SIGTERM');
    await server.done;
  }
}, 240_000);
