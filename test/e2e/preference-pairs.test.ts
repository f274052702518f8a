import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { OpenAIPreferenceLine, PairProvenance, TrlPreferenceLine } from '../../src/schema/preference.ts';
import { Problem, problemText } from '../../src/schema/problem.ts';
import { Sample } from '../../src/schema/sample.ts';
import { readJsonl } from '../../src/store/jsonl.ts';
import { readRunVerdicts } from '../../src/store/run-reader.ts';
import { startOpenAIServer, type OpenAITestServer } from '../helpers/openai-server.ts';
import { demoConfig, fixture, runCli, tempDir, writeConfig } from './cli.ts';

let server: OpenAITestServer;
let answers: Record<string, string>;
let runDir: string;
let evalIds: Set<string>;

beforeAll(async () => {
  const evaluation = await readJsonl(fixture('eval.jsonl'), Problem);
  evalIds = new Set(evaluation.map((p) => p.id));
  const problems = [...(await readJsonl(fixture('train.jsonl'), Problem)), ...evaluation];
  answers = Object.fromEntries(problems.map((p) => [problemText(p), p.answer!]));
  server = await startOpenAIServer({ models: ['base-model'], answers });
  const dir = await tempDir();
  runDir = join(dir, 'run');
  const config = await writeConfig(dir, demoConfig(server.url, { rounds: 2 }));
  const run = await runCli(['run', '-c', config, '--out', runDir, '--quiet']);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
}, 180_000);
afterAll(() => server.close());

const lines = (stdout: string) => stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as unknown);

async function samplesAndVerdicts(round: number) {
  const samples = new Map((await readJsonl(join(runDir, `round-${round}`, 'samples.jsonl'), Sample)).map((s) => [s.id, s]));
  const verdicts = new Map((await readRunVerdicts(runDir, round, 'train')).map((v) => [v.sampleId, v]));
  return { samples, verdicts };
}

test('export --pairs: every pair is a verified-correct against a verified-incorrect answer to one train problem in one round, in TRL\'s and OpenAI\'s formats', async () => {
  const [trl, openai, provenance] = await Promise.all([
    runCli(['export', runDir, '--pairs', '--all', '--per-problem', '2']),
    runCli(['export', runDir, '--pairs', '--all', '--per-problem', '2', '--format', 'openai']),
    runCli(['export', runDir, '--pairs', '--all', '--per-problem', '2', '--provenance']),
  ]);
  for (const result of [trl, openai, provenance]) expect(result.code, result.stderr).toBe(0);
  const trlLines = lines(trl.stdout).map((l) => TrlPreferenceLine.parse(l));
  const openaiLines = lines(openai.stdout).map((l) => OpenAIPreferenceLine.parse(l));
  const sources = lines(provenance.stdout).map((l) => PairProvenance.parse(l));
  expect(trlLines.length).toBeGreaterThan(0);
  expect(openaiLines).toHaveLength(trlLines.length);
  expect(sources).toHaveLength(trlLines.length);

  const rounds = [await samplesAndVerdicts(0), await samplesAndVerdicts(1)];
  const perProblemRound = new Map<string, number>();
  for (const [i, source] of sources.entries()) {
    const { samples, verdicts } = rounds[source.round];
    const chosen = samples.get(source.chosenSampleId)!;
    const rejected = samples.get(source.rejectedSampleId)!;
    expect(verdicts.get(chosen.id)?.status).toBe('correct');
    expect(verdicts.get(rejected.id)?.status).toBe('incorrect');
    for (const sample of [chosen, rejected]) {
      expect(sample).toMatchObject({ problemId: source.problemId, round: source.round, phase: 'train', hinted: false });
    }
    expect(evalIds.has(source.problemId)).toBe(false);
    expect(trlLines[i].chosen).toEqual([{ role: 'assistant', content: chosen.text }]);
    expect(trlLines[i].rejected).toEqual([{ role: 'assistant', content: rejected.text }]);
    expect(openaiLines[i]).toEqual({ input: { messages: trlLines[i].prompt }, preferred_output: trlLines[i].chosen, non_preferred_output: trlLines[i].rejected });
    // The prompt is the one the samples answered.
    const asked = server.requests.find((r) => r.messages?.some((m) => m.role === 'user' && m.content === trlLines[i].prompt.at(-1)!.content));
    expect(asked).toBeDefined();
    const key = `${source.problemId} ${source.round}`;
    perProblemRound.set(key, (perProblemRound.get(key) ?? 0) + 1);
  }
  // Per problem and round: as many pairs as --per-problem allows and distinct correct and incorrect
  // answers exist (the scripted model words every correct answer alike, so that is one).
  const normalized = (text: string) => text.toLowerCase().replace(/\s+/g, ' ').trim();
  for (const [round, { samples, verdicts }] of rounds.entries()) {
    const byProblem = new Map<string, { correct: Set<string>; incorrect: Set<string> }>();
    for (const sample of samples.values()) {
      if (sample.hinted || sample.phase !== 'train') continue;
      const status = verdicts.get(sample.id)?.status;
      const entry = byProblem.get(sample.problemId) ?? { correct: new Set(), incorrect: new Set() };
      if (status === 'correct') entry.correct.add(normalized(sample.text));
      if (status === 'incorrect') entry.incorrect.add(normalized(sample.text));
      byProblem.set(sample.problemId, entry);
    }
    for (const [problemId, { correct, incorrect }] of byProblem) {
      expect(perProblemRound.get(`${problemId} ${round}`) ?? 0, `${problemId} round ${round}`).toBe(Math.min(2, correct.size, incorrect.size));
    }
  }
  expect(Math.max(...perProblemRound.values())).toBeGreaterThan(0);
  expect(new Set(sources.map((s) => s.round))).toEqual(new Set([0, 1]));
  const rejectedTexts = sources.map((s) => `${s.problemId} ${s.round} ${rounds[s.round].samples.get(s.rejectedSampleId)!.text}`);
  expect(new Set(rejectedTexts).size).toBe(rejectedTexts.length);

  const one = await runCli(['export', runDir, '--pairs', '--round', '0']);
  expect(lines(one.stdout).length).toBe(new Set(sources.filter((s) => s.round === 0).map((s) => s.problemId)).size);
});

test('--pairs options without --pairs, and a round with no samples, are one-line errors', async () => {
  const stray = await runCli(['export', runDir, '--format', 'openai']);
  expect(stray.code).not.toBe(0);
  expect(stray.stderr).toMatch(/add --pairs/);
  const missing = await runCli(['export', runDir, '--pairs', '--round', '9']);
  expect(missing.code).toBe(3);
  expect(missing.stderr.trim().split('\n')).toHaveLength(1);
  expect(missing.stderr).toMatch(/round 9/);
});

test('train: { type: openai, method: dpo } uploads the round\'s pairs and creates the job with the DPO method payload', async () => {
  const dir = await tempDir();
  const dpoRun = join(dir, 'run');
  const before = server.requests.length;
  const config = await writeConfig(dir, demoConfig(server.url, {
    rounds: 1,
    train: { type: 'openai', base: 'base-model', method: 'dpo', hyperparameters: { beta: 0.2, n_epochs: 2 }, pairs: { maxPerProblem: 2 }, pollIntervalMs: 20 },
  }));
  const run = await runCli(['run', '-c', config, '--out', dpoRun, '--quiet']);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);

  const jobs = server.requests.slice(before).filter((r) => r.method === 'POST' && r.path === '/v1/fine_tuning/jobs');
  expect(jobs).toHaveLength(1);
  const body = jobs[0].body as { model: string; training_file: string; method: unknown };
  expect(body.method).toEqual({ type: 'dpo', dpo: { hyperparameters: { beta: 0.2, n_epochs: 2 } } });

  const uploaded = server.uploads().find((f) => f.id === body.training_file)!;
  const written = await readFile(join(dpoRun, 'round-0', 'pairs.jsonl'), 'utf8');
  expect(await readFile(uploaded.path, 'utf8')).toBe(written);
  const pairs = await readJsonl(join(dpoRun, 'round-0', 'pairs.jsonl'), OpenAIPreferenceLine);
  expect(pairs.length).toBeGreaterThan(0);
  const provenance = await readJsonl(join(dpoRun, 'round-0', 'pairs.provenance.jsonl'), PairProvenance);
  expect(provenance).toHaveLength(pairs.length);
  const manifest = JSON.parse(await readFile(join(dpoRun, 'manifest.json'), 'utf8')) as { policies: { model: string }[] };
  expect(manifest.policies[1].model).not.toBe('base-model');
}, 120_000);

test('beta without method: dpo is a config error', async () => {
  const dir = await tempDir();
  const config = await writeConfig(dir, demoConfig(server.url, { train: { type: 'openai', base: 'base-model', hyperparameters: { beta: 0.2 } } }));
  const result = await runCli(['run', '-c', config, '--out', join(dir, 'run'), '--quiet']);
  expect(result.code).toBe(2);
  expect(result.stderr).toMatch(/beta.*method: dpo/);
});
