import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { Problem, problemText } from '../../src/schema/problem.ts';
import { Sample } from '../../src/schema/sample.ts';
import { readJsonl } from '../../src/store/jsonl.ts';
import { startOpenAIServer, type OpenAITestServer } from '../helpers/openai-server.ts';
import { demoConfig, fixture, runCli, tempDir, writeConfig } from './cli.ts';

let server: OpenAITestServer;

beforeAll(async () => {
  const problems = await readJsonl(fixture('train.jsonl'), Problem);
  server = await startOpenAIServer({ models: ['base-model'], answers: Object.fromEntries(problems.map((p) => [problemText(p), p.answer!])) });
});
afterAll(() => server.close());

const completions = () => server.requests.filter((r) => r.path.endsWith('/chat/completions') && !r.fault);

test('starloop sample appends to its file, and raising k draws only the new indices', async () => {
  const dir = await tempDir();
  const config = await writeConfig(dir, demoConfig(server.url, { policy: { type: 'openai', baseURL: server.url, model: 'base-model', n: 'fanout' } }));
  const out = join(dir, 'samples.jsonl');

  expect((await runCli(['sample', '-c', config, '--k', '2', '--out', out, '--quiet'])).code).toBe(0);
  expect(await readJsonl(out, Sample)).toHaveLength(24);
  const afterFirst = completions().length;
  expect(afterFirst).toBe(24);

  const again = await runCli(['sample', '-c', config, '--k', '4', '--out', out, '--quiet']);
  expect(again.stderr).toBe('');
  expect(again.code).toBe(0);
  const samples = await readJsonl(out, Sample);
  expect(samples).toHaveLength(48);
  expect(new Set(samples.map((s) => s.id)).size).toBe(48);
  const newRequests = completions().slice(afterFirst);
  expect(newRequests).toHaveLength(24);
  expect(new Set(newRequests.map((r) => r.seed))).toEqual(new Set([2, 3]));
});
