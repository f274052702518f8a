import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { Provenance } from '../../src/schema/dataset.ts';
import { Problem, problemText } from '../../src/schema/problem.ts';
import { RunReport } from '../../src/schema/summary.ts';
import { readJsonl } from '../../src/store/jsonl.ts';
import { startOpenAIServer, type OpenAITestServer } from '../helpers/openai-server.ts';
import { demoConfig, fixture, runCli, tempDir, writeConfig } from './cli.ts';

let server: OpenAITestServer;
beforeAll(async () => {
  const problems = [...(await readJsonl(fixture('train.jsonl'), Problem)), ...(await readJsonl(fixture('eval.jsonl'), Problem))];
  server = await startOpenAIServer({ models: ['base-model'], answers: Object.fromEntries(problems.map((p) => [problemText(p), p.answer!])) });
});
afterAll(() => server.close());

const key = (p: Provenance) => `${p.round}/${p.problemId}/${p.sampleId}`;

test('select.pool all: round 1 trains on its own survivors plus all of round 0\'s; round keeps its own only', async () => {
  const runs: Record<string, Provenance[][]> = {};
  for (const pool of ['all', 'round'] as const) {
    const dir = await tempDir();
    const config = await writeConfig(dir, demoConfig(server.url, { rounds: 2, select: { maxPerProblem: 2, dedupe: 'none', pool } }));
    const run = await runCli(['run', '-c', config, '--out', join(dir, 'run'), '--quiet']);
    expect(run.code, run.stderr).toBe(0);
    runs[pool] = await Promise.all([0, 1].map((r) => readJsonl(join(dir, 'run', `round-${r}`, 'dataset.provenance.jsonl'), Provenance)));
    const report = RunReport.parse(JSON.parse((await runCli(['report', join(dir, 'run'), '--json'])).stdout));
    expect(report.rounds[1].train!.datasetExamples).toBe(runs[pool][1].length);
  }
  const [first, second] = runs.all;
  expect(second.filter((p) => p.round === 0).map(key).sort()).toEqual(first.map(key).sort());
  expect(second.filter((p) => p.round === 1).length).toBeGreaterThan(0);
  expect(runs.round[1].every((p) => p.round === 1)).toBe(true);
});
