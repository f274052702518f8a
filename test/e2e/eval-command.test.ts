import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { Problem, problemText } from '../../src/schema/problem.ts';
import { EvalStats } from '../../src/schema/summary.ts';
import { readJsonl } from '../../src/store/jsonl.ts';
import { startOpenAIServer, type OpenAITestServer } from '../helpers/openai-server.ts';
import { demoConfig, fixture, runCli, tempDir, writeConfig } from './cli.ts';

let server: OpenAITestServer;

beforeAll(async () => {
  const problems = await readJsonl(fixture('eval.jsonl'), Problem);
  server = await startOpenAIServer({ models: ['base-model', 'other-model'], answers: Object.fromEntries(problems.map((p) => [problemText(p), p.answer!])) });
});
afterAll(() => server.close());

test('starloop eval measures a chosen model on the eval split, and a rerun reuses its samples', async () => {
  const dir = await tempDir();
  const config = await writeConfig(dir, demoConfig(server.url));
  const out = join(dir, 'eval');
  const result = await runCli(['eval', '-c', config, '--model', 'other-model', '--out', out, '--json', '--quiet']);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const stats = EvalStats.parse(JSON.parse(result.stdout));
  expect(stats).toMatchObject({ problems: 16, samples: 64, k: 4 });
  expect(server.requests.every((r) => !r.model || r.model === 'other-model')).toBe(true);

  const before = server.requests.length;
  const again = await runCli(['eval', '-c', config, '--model', 'other-model', '--out', out, '--json', '--quiet']);
  expect(EvalStats.parse(JSON.parse(again.stdout)).passAt1).toBe(stats.passAt1);
  expect(server.requests.length).toBe(before);
});
