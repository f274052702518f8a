import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { Problem, problemText } from '../../src/schema/problem.ts';
import { TrainStats } from '../../src/schema/summary.ts';
import { VerdictRecord } from '../../src/schema/verdict.ts';
import { readJsonl } from '../../src/store/jsonl.ts';
import { startOpenAIServer, type OpenAITestServer } from '../helpers/openai-server.ts';
import { demoConfig, fixture, runCli, tempDir, writeConfig } from './cli.ts';

let server: OpenAITestServer;
beforeAll(async () => {
  const problems = [...(await readJsonl(fixture('train.jsonl'), Problem)), ...(await readJsonl(fixture('eval.jsonl'), Problem))];
  server = await startOpenAIServer({ models: ['base-model'], answers: Object.fromEntries(problems.map((p) => [problemText(p), p.answer!])) });
});
afterAll(() => server?.close());

test('rejudge of a round whose dataset trained a model: metrics recomputed, dataset and survivors kept, and it says so', async () => {
  const dir = await tempDir();
  const config = await writeConfig(dir, demoConfig(server.url, { rounds: 1, rationalize: { enabled: false } }));
  const runDir = join(dir, 'run');
  expect((await runCli(['run', '-c', config, '--out', runDir, '--quiet'])).code).toBe(0);
  const round0 = join(runDir, 'round-0');
  const kept = {
    dataset: await readFile(join(round0, 'dataset.jsonl'), 'utf8'),
    survivors: await readFile(join(round0, 'survivors.jsonl'), 'utf8'),
    stats: TrainStats.parse(JSON.parse(await readFile(join(round0, 'train-stats.json'), 'utf8'))),
  };
  expect(kept.stats.errors).toBe(0);

  // Three correct train verdicts later turned out to be verifier errors (as a flaky sandbox would leave them).
  const verdicts = await readJsonl(join(round0, 'verdicts.jsonl'), VerdictRecord);
  const spoiled = verdicts.filter((v) => v.status === 'correct').slice(0, 3);
  await appendFile(join(round0, 'verdicts.jsonl'), spoiled.map((v) => JSON.stringify({ ...v, status: 'error', score: 0, reason: 'sandbox failure: flaky' }) + '\n').join(''));
  // …and the round's metrics as the run would have written them then.
  const summaryPath = join(round0, 'summary.json');
  const summary = JSON.parse(await readFile(summaryPath, 'utf8')) as { train: TrainStats };
  const spoiledStats = { ...kept.stats, errors: 3, passAt1: 0 };
  await writeFile(join(round0, 'train-stats.json'), JSON.stringify(spoiledStats));
  await writeFile(summaryPath, JSON.stringify({ ...summary, train: spoiledStats }));

  const result = await runCli(['rejudge', runDir, '--split', 'train']);
  expect(result.code, result.stderr).toBe(0);
  expect(result.stdout).toBe('round 0 train: re-judged 3: 3 correct, 0 incorrect, 0 unparseable, 0 error\n');
  expect(result.stderr).toContain('round 0: its dataset went to training already and is kept as it was: 3 samples judged correct now are counted in its metrics, not trained on');

  expect(await readFile(join(round0, 'dataset.jsonl'), 'utf8')).toBe(kept.dataset);
  expect(await readFile(join(round0, 'survivors.jsonl'), 'utf8')).toBe(kept.survivors);
  const stats = TrainStats.parse(JSON.parse(await readFile(join(round0, 'train-stats.json'), 'utf8')));
  // Recomputed from the latest verdicts: the same as before the errors.
  expect(stats).toEqual(kept.stats);
  expect((JSON.parse(await readFile(summaryPath, 'utf8')) as { train: TrainStats }).train).toEqual(kept.stats);
  const report = await runCli(['report', runDir, '--json']);
  expect((JSON.parse(report.stdout) as { rounds: { train?: TrainStats }[] }).rounds[0].train).toEqual(kept.stats);
  const all = await readJsonl(join(round0, 'verdicts.jsonl'), VerdictRecord);
  expect(all).toHaveLength(verdicts.length + 6);
  expect(all.slice(-3).map((v) => [v.sampleId, v.status, v.rejudged?.previous])).toEqual(spoiled.map((v) => [v.sampleId, 'correct', 'error']));
}, 300_000);
