import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { Problem, problemText } from '../../src/schema/problem.ts';
import { Sample } from '../../src/schema/sample.ts';
import { RunReport } from '../../src/schema/summary.ts';
import { readJsonl } from '../../src/store/jsonl.ts';
import { startOpenAIServer, type OpenAITestServer } from '../helpers/openai-server.ts';
import { demoConfig, fixture, runCli, tempDir, writeConfig } from './cli.ts';

let server: OpenAITestServer;
let train: Problem[];
let evaluation: Problem[];

beforeAll(async () => {
  train = await readJsonl(fixture('train.jsonl'), Problem);
  evaluation = await readJsonl(fixture('eval.jsonl'), Problem);
  server = await startOpenAIServer({ models: ['base-model'], answers: Object.fromEntries([...train, ...evaluation].map((p) => [problemText(p), p.answer!])) });
});
afterAll(() => server.close());

/** The train file plus an eval problem copied under another id and another one with two words changed. */
async function leakyTrainFile(dir: string): Promise<{ path: string; copied: Problem; paraphrased: Problem }> {
  const [copied, paraphrased] = [evaluation[0], evaluation[1]];
  const words = problemText(paraphrased).split(' ');
  words[1] = words[1] === 'has' ? 'owns' : 'has';
  words[words.length - 3] = 'exactly';
  const lines = [
    ...train,
    { id: 'innocent-looking-1', prompt: problemText(copied), answer: copied.answer },
    { id: 'innocent-looking-2', prompt: words.join(' '), answer: paraphrased.answer },
  ];
  const path = join(dir, 'train.jsonl');
  await writeFile(path, lines.map((p) => JSON.stringify(p)).join('\n') + '\n');
  return { path, copied, paraphrased };
}

test('train problems that copy eval problems under other ids are dropped, listed, and never sampled', async () => {
  const dir = await tempDir();
  const { path, copied, paraphrased } = await leakyTrainFile(dir);
  const config = await writeConfig(dir, demoConfig(server.url, { problems: { train: path, eval: fixture('eval.jsonl') }, rounds: 0, train: { type: 'none' } }));
  const runDir = join(dir, 'run');
  const run = await runCli(['run', '-c', config, '--out', runDir]);
  expect(run.code).toBe(0);
  expect(run.stderr).toContain('dropped 2 train problems that copy eval problems');
  expect(run.stderr).toContain(`innocent-looking-1 copies eval ${copied.id} (the same text)`);
  expect(run.stderr).toMatch(new RegExp(`innocent-looking-2 copies eval ${paraphrased.id} \\(\\d+-gram overlap \\d+%\\)`));
  const sampled = new Set((await readJsonl(join(runDir, 'round-0', 'samples.jsonl'), Sample)).map((s) => s.problemId));
  expect(sampled.has('innocent-looking-1') || sampled.has('innocent-looking-2')).toBe(false);
  expect(sampled.size).toBe(train.length);

  const report = RunReport.parse(JSON.parse((await runCli(['report', runDir, '--json'])).stdout));
  expect(report.contamination?.dropped.map((d) => [d.trainId, d.evalId, d.kind])).toEqual([
    ['innocent-looking-1', copied.id, 'exact'],
    ['innocent-looking-2', paraphrased.id, 'ngram'],
  ]);
  expect((await runCli(['report', runDir])).stdout).toContain('contamination: 2 train problems left out as copies of eval problems');
});

test('select.contamination: error refuses the run with exit 2 and the list, before anything is requested', async () => {
  const dir = await tempDir();
  const { path, copied } = await leakyTrainFile(dir);
  const config = await writeConfig(
    dir,
    demoConfig(server.url, { problems: { train: path, eval: fixture('eval.jsonl') }, rounds: 0, train: { type: 'none' }, select: { maxPerProblem: 2, contamination: 'error' } }),
  );
  const before = server.requests.length;
  const run = await runCli(['run', '-c', config, '--out', join(dir, 'run')]);
  expect(run.code).toBe(2);
  expect(run.stderr).toContain('2 train problems copy eval problems (select.contamination: error)');
  expect(run.stderr).toContain(`innocent-looking-1 copies eval ${copied.id}`);
  expect(server.requests.length).toBe(before);
});
