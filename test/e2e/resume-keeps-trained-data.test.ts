import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { Problem, problemText } from '../../src/schema/problem.ts';
import { RoundSummary } from '../../src/schema/summary.ts';
import { Sample } from '../../src/schema/sample.ts';
import { readJsonl } from '../../src/store/jsonl.ts';
import { startOpenAIServer, type OpenAITestServer } from '../helpers/openai-server.ts';
import { demoConfig, fixture, runCli, tempDir, writeConfig } from './cli.ts';

let server: OpenAITestServer;

beforeAll(async () => {
  const problems = [...(await readJsonl(fixture('train.jsonl'), Problem)), ...(await readJsonl(fixture('eval.jsonl'), Problem))];
  server = await startOpenAIServer({ models: ['base-model'], answers: Object.fromEntries(problems.map((p) => [problemText(p), p.answer!])) });
});
afterAll(() => server.close());

const summary = async (runDir: string, round: number) => RoundSummary.parse(JSON.parse(await readFile(join(runDir, `round-${round}`, 'summary.json'), 'utf8')));

test('raising k on --resume keeps the dataset that trained a model, says so, and adds up stage timings', async () => {
  const dir = await tempDir();
  const config = await writeConfig(dir, demoConfig(server.url, { rounds: 1, rationalize: { enabled: false } }));
  const runDir = join(dir, 'run');
  expect((await runCli(['run', '-c', config, '--out', runDir, '--quiet'])).code).toBe(0);
  const round0 = join(runDir, 'round-0');
  const before = {
    dataset: await readFile(join(round0, 'dataset.jsonl'), 'utf8'),
    provenance: await readFile(join(round0, 'dataset.provenance.jsonl'), 'utf8'),
    samples: (await readJsonl(join(round0, 'samples.jsonl'), Sample)).length,
    summary: await summary(runDir, 0),
  };
  const jobs = () => server.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/fine_tuning/jobs')).length;
  const jobsBefore = jobs();

  const resumed = await runCli(['run', '-c', config, '--out', runDir, '--resume', '--rounds', '2', '--k', '8']);
  expect(resumed.code).toBe(0);
  expect(resumed.stderr).toMatch(/round 0: its dataset \(k=4\) went to training already and is kept as it was; sampling\.k=8 applies from round 1/);

  // Round 0: the same dataset, no new samples, no second fine-tune of it.
  expect(await readFile(join(round0, 'dataset.jsonl'), 'utf8')).toBe(before.dataset);
  expect(await readFile(join(round0, 'dataset.provenance.jsonl'), 'utf8')).toBe(before.provenance);
  expect((await readJsonl(join(round0, 'samples.jsonl'), Sample)).length).toBe(before.samples);
  expect(jobs()).toBe(jobsBefore + 1);
  // Round 1 samples with the new k; its summary says so.
  const after0 = await summary(runDir, 0);
  expect(after0.train!.k).toBe(4);
  expect((await summary(runDir, 1)).train!.k).toBe(8);
  // A resume adds its time to the round's; it never replaces what the first session measured.
  expect(after0.timings.sampleMs).toBeGreaterThanOrEqual(before.summary.timings.sampleMs);
  expect(after0.timings.evalMs).toBeGreaterThanOrEqual(before.summary.timings.evalMs);
  expect(after0.wallMs).toBeGreaterThanOrEqual(before.summary.wallMs);
});
