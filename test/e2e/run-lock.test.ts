import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { Problem, problemText } from '../../src/schema/problem.ts';
import { readJsonl } from '../../src/store/jsonl.ts';
import { startOpenAIServer, type OpenAITestServer } from '../helpers/openai-server.ts';
import { demoConfig, fixture, runCli, startCli, tempDir, writeConfig } from './cli.ts';

let server: OpenAITestServer;

beforeAll(async () => {
  const problems = await readJsonl(fixture('eval.jsonl'), Problem);
  server = await startOpenAIServer({ models: ['base-model'], answers: Object.fromEntries(problems.map((p) => [problemText(p), p.answer!])) });
});
afterAll(() => server.close());

test('a second process on the same run directory is refused while the first is running', async () => {
  const dir = await tempDir();
  const config = await writeConfig(dir, demoConfig(server.url, { rounds: 1, sampling: { k: 4, concurrency: 1 } }));
  const runDir = join(dir, 'run');
  server.faults.set({ delayMs: 300 });
  const first = startCli(['run', '-c', config, '--out', runDir, '--quiet']);
  try {
    const deadline = Date.now() + 20_000;
    while (!existsSync(join(runDir, 'run.lock')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const second = await runCli(['run', '-c', config, '--out', runDir, '--resume', '--quiet']);
    expect(second.code).toBe(3);
    expect(second.stderr).toMatch(/in use by process \d+/);
  } finally {
    first.child.kill('SIGTERM');
    await first.done;
    server.faults.set({});
  }
});

test('starting a new run over an existing one without --resume is refused', async () => {
  const dir = await tempDir();
  const config = await writeConfig(dir, demoConfig(server.url, { rounds: 0, train: { type: 'none' } }));
  const runDir = join(dir, 'run');
  expect((await runCli(['run', '-c', config, '--out', runDir, '--quiet'])).code).toBe(0);
  const again = await runCli(['run', '-c', config, '--out', runDir, '--quiet']);
  expect(again.code).toBe(3);
  expect(again.stderr).toMatch(/--resume/);
});
