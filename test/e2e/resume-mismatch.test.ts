import { copyFile, appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { Problem, problemText } from '../../src/schema/problem.ts';
import { readJsonl } from '../../src/store/jsonl.ts';
import { startOpenAIServer, type OpenAITestServer } from '../helpers/openai-server.ts';
import { demoConfig, fixture, runCli, tempDir, writeConfig } from './cli.ts';

let server: OpenAITestServer;

beforeAll(async () => {
  const problems = [...(await readJsonl(fixture('train.jsonl'), Problem)), ...(await readJsonl(fixture('eval.jsonl'), Problem))];
  server = await startOpenAIServer({ models: ['base-model'], answers: Object.fromEntries(problems.map((p) => [problemText(p), p.answer!])) });
});
afterAll(() => server.close());

test('--resume refuses a changed config or a changed problem file, naming what changed', async () => {
  const dir = await tempDir();
  const train = join(dir, 'train.jsonl');
  await copyFile(fixture('train.jsonl'), train);
  const settings = { rounds: 0, train: { type: 'none' }, problems: { train, eval: fixture('eval.jsonl') } };
  const config = await writeConfig(dir, demoConfig(server.url, settings));
  const runDir = join(dir, 'run');
  expect((await runCli(['run', '-c', config, '--out', runDir, '--quiet'])).code).toBe(0);

  const changed = await writeConfig(dir, demoConfig(server.url, { ...settings, prompt: { template: 'Q: {{problem}}' } }), 'changed.yaml');
  const refused = await runCli(['run', '-c', changed, '--out', runDir, '--resume', '--quiet']);
  expect(refused.code).toBe(3);
  expect(refused.stderr).toMatch(/config changed in prompt/);

  // Raising k is allowed: sample identity does not include k.
  expect((await runCli(['run', '-c', config, '--out', runDir, '--resume', '--k', '6', '--quiet'])).code).toBe(0);

  await appendFile(train, JSON.stringify({ id: 'train-new', prompt: 'What is 1 + 1?', answer: '2', split: 'train' }) + '\n');
  const edited = await runCli(['run', '-c', config, '--out', runDir, '--resume', '--quiet']);
  expect(edited.code).toBe(3);
  expect(edited.stderr).toMatch(/train problem file .* changed/);
});
