import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { Problem, problemText } from '../../src/schema/problem.ts';
import { readJsonl } from '../../src/store/jsonl.ts';
import { startOpenAIServer, type OpenAITestServer } from '../helpers/openai-server.ts';
import { demoConfig, fixture, runCli, tempDir, writeConfig } from './cli.ts';

const SECRET = 'sk-test-7f3a9c1e5b2d4f6a8c0e';
let server: OpenAITestServer;

beforeAll(async () => {
  const problems = [...(await readJsonl(fixture('train.jsonl'), Problem)), ...(await readJsonl(fixture('eval.jsonl'), Problem))];
  server = await startOpenAIServer({ models: ['base-model'], answers: Object.fromEntries(problems.map((p) => [problemText(p), p.answer!])), faults: { apiKey: SECRET } });
});
afterAll(() => server.close());

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

test('the API key is sent to the server but never written to the run directory or printed', async () => {
  const dir = await tempDir();
  const config = await writeConfig(dir, demoConfig(server.url, { rounds: 1 }));
  const runDir = join(dir, 'run');
  const result = await runCli(['run', '-c', config, '--out', runDir], { env: { OPENAI_API_KEY: SECRET } });
  expect(result.code).toBe(0);
  expect(result.stdout + result.stderr).not.toContain(SECRET);
  const files = await filesUnder(runDir);
  expect(files.length).toBeGreaterThan(5);
  for (const file of files) expect(await readFile(file, 'utf8'), file).not.toContain(SECRET);
});

test('a wrong key is refused with a message naming the variable, not the key', async () => {
  const dir = await tempDir();
  const config = await writeConfig(dir, demoConfig(server.url, { rounds: 0, train: { type: 'none' } }));
  const result = await runCli(['run', '-c', config, '--out', join(dir, 'run')], { env: { OPENAI_API_KEY: 'sk-wrong-key-000' } });
  expect(result.code).toBe(4);
  expect(result.stderr).toMatch(/OPENAI_API_KEY/);
  expect(result.stderr).not.toContain('sk-wrong-key-000');
});

test('a remote endpoint without a key fails before the run directory is created', async () => {
  const dir = await tempDir();
  const config = await writeConfig(dir, demoConfig('https://api.invalid/v1', { policy: { type: 'openai', baseURL: 'https://api.invalid/v1', model: 'm' } }));
  const result = await runCli(['run', '-c', config, '--out', join(dir, 'run')], { env: { OPENAI_API_KEY: '' } });
  expect(result.code).toBe(4);
  expect(result.stderr).toMatch(/OPENAI_API_KEY is not set/);
  expect(existsSync(join(dir, 'run'))).toBe(false);
});
