import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { Problem, problemText } from '../../src/schema/problem.ts';
import { DatasetLine, Provenance } from '../../src/schema/dataset.ts';
import { startOpenAIServer, type OpenAITestServer } from '../helpers/openai-server.ts';
import { readJsonl } from '../../src/store/jsonl.ts';
import { demoConfig, fixture, runCli, tempDir, writeConfig } from './cli.ts';

let server: OpenAITestServer;
let runDir: string;

beforeAll(async () => {
  const problems = [...(await readJsonl(fixture('train.jsonl'), Problem)), ...(await readJsonl(fixture('eval.jsonl'), Problem))];
  server = await startOpenAIServer({ models: ['base-model'], answers: Object.fromEntries(problems.map((p) => [problemText(p), p.answer!])) });
  const dir = await tempDir();
  runDir = join(dir, 'run');
  const config = await writeConfig(dir, demoConfig(server.url, { rounds: 1 }));
  const run = await runCli(['run', '-c', config, '--out', runDir, '--quiet']);
  expect(run.code).toBe(0);
});
afterAll(() => server.close());

test('export writes a round\'s chat dataset or its provenance, and names a missing round', async () => {
  const dir = await tempDir();
  const out = join(dir, 'round0.jsonl');
  const exported = await runCli(['export', runDir, '--round', '0', '--out', out]);
  expect(exported.code).toBe(0);
  expect(await readFile(out, 'utf8')).toBe(await readFile(join(runDir, 'round-0', 'dataset.jsonl'), 'utf8'));
  expect((await readJsonl(out, DatasetLine)).length).toBeGreaterThan(0);

  const provenance = await runCli(['export', runDir, '--provenance']);
  const lines = provenance.stdout.trim().split('\n').map((l) => Provenance.parse(JSON.parse(l)));
  expect(lines.every((p) => p.problemId.startsWith('train-'))).toBe(true);

  const missing = await runCli(['export', runDir, '--round', '7']);
  expect(missing.code).toBe(3);
  expect(missing.stderr).toMatch(/round 7/);
});

test('compare puts the rounds of a run side by side with paired intervals', async () => {
  const result = await runCli(['compare', runDir, '--json']);
  expect(result.code).toBe(0);
  const comparison = JSON.parse(result.stdout);
  expect(comparison.entries.map((e: { label: string }) => e.label)).toEqual(['round 0', 'round 1']);
  const text = await runCli(['compare', runDir]);
  expect(text.stdout).toMatch(/round 1\s+round 0/);
  expect(text.stdout).toMatch(/95% CI/);
});

test('report --html writes a self-contained page', async () => {
  const html = join(await tempDir(), 'report.html');
  const result = await runCli(['report', runDir, '--html', html]);
  expect(result.code).toBe(0);
  const page = await readFile(html, 'utf8');
  expect(page).toMatch(/^<!doctype html>/i);
  expect(page).toContain('<svg');
  expect(page).not.toMatch(/<script[^>]+src=|<link[^>]+href="http/);
});
