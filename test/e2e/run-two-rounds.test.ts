import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { Problem, problemText } from '../../src/schema/problem.ts';
import { RunReport } from '../../src/schema/summary.ts';
import { DatasetLine, Provenance } from '../../src/schema/dataset.ts';
import { readJsonl } from '../../src/store/jsonl.ts';
import { startOpenAIServer, type OpenAITestServer } from '../helpers/openai-server.ts';
import { demoConfig, fixture, runCli, tempDir, writeConfig } from './cli.ts';

let server: OpenAITestServer;

beforeAll(async () => {
  const problems = [...(await readJsonl(fixture('train.jsonl'), Problem)), ...(await readJsonl(fixture('eval.jsonl'), Problem))];
  server = await startOpenAIServer({ models: ['base-model'], answers: Object.fromEntries(problems.map((p) => [problemText(p), p.answer!])) });
});
afterAll(() => server.close());

test('a 2-round STaR run fine-tunes twice, evaluates three policies and reports the documented shape', async () => {
  const dir = await tempDir();
  const config = await writeConfig(dir, demoConfig(server.url));
  const runDir = join(dir, 'run');
  const run = await runCli(['run', '-c', config, '--out', runDir, '--quiet']);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/round/);

  const report = await runCli(['report', runDir, '--json']);
  expect(report.code).toBe(0);
  const parsed = RunReport.parse(JSON.parse(report.stdout));
  expect(parsed.name).toBe('e2e-demo');
  expect(parsed.rounds.map((r) => r.round)).toEqual([0, 1, 2]);
  expect(parsed.rounds[0].model).toBe('base-model');
  expect(parsed.rounds[1].model).toMatch(/^ft:base-model:/);
  expect(parsed.rounds[0].train).toBeDefined();
  expect(parsed.rounds[2].train).toBeUndefined();
  for (const entry of parsed.rounds) {
    expect(entry.eval!.problems).toBe(16);
    expect(entry.eval!.samples).toBe(64);
  }
  // The scripted model is right 30% of the time before fine-tuning and 55% after.
  expect(parsed.rounds[1].eval!.passAt1).toBeGreaterThan(parsed.rounds[0].eval!.passAt1);

  // Two fine-tuning jobs, each on a chat-format dataset with no eval problem in it.
  expect(server.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/fine_tuning/jobs'))).toHaveLength(2);
  for (const round of [0, 1]) {
    const lines = await readJsonl(join(runDir, `round-${round}`, 'dataset.jsonl'), DatasetLine);
    const provenance = await readJsonl(join(runDir, `round-${round}`, 'dataset.provenance.jsonl'), Provenance);
    expect(lines.length).toBe(provenance.length);
    expect(lines.length).toBe(parsed.rounds[round].train!.datasetExamples);
    expect(provenance.every((p) => p.problemId.startsWith('train-'))).toBe(true);
    for (const line of lines) {
      expect(line.messages.at(-1)!.role).toBe('assistant');
      expect(JSON.stringify(line.messages)).not.toMatch(/hint/i);
    }
  }
  const manifest = JSON.parse(await readFile(join(runDir, 'manifest.json'), 'utf8'));
  expect(manifest.policies).toHaveLength(3);
});
