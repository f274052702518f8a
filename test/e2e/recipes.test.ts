import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { equationKey } from '../../src/pipeline/equations.ts';
import { loadProblems } from '../../src/problems/load.ts';
import { Provenance } from '../../src/schema/dataset.ts';
import { problemText } from '../../src/schema/problem.ts';
import { RunReport } from '../../src/schema/summary.ts';
import { readJsonl } from '../../src/store/jsonl.ts';
import { startOpenAIServer, type OpenAITestServer } from '../helpers/openai-server.ts';
import { repoRoot, runCli, tempDir, writeConfig } from './cli.ts';

/**
 * Each published recipe in examples/recipes loads as written and runs one round (sample → select →
 * train → evaluate) against the local OpenAI test server, with only the endpoint, the polling
 * interval, the round count and (for speed) k changed.
 */
const recipesDir = join(repoRoot, 'examples', 'recipes');
const TRAINED_BY_COMMAND = 'command-trained-model';
let server: OpenAITestServer;

beforeAll(async () => {
  const problems = [...(await loadProblems(join(repoRoot, 'problems/gsm-mini/train.jsonl'))), ...(await loadProblems(join(repoRoot, 'problems/gsm-mini/eval.jsonl')))];
  server = await startOpenAIServer({
    models: ['base-model', 'sft-model', 'student-model', 'teacher-model', TRAINED_BY_COMMAND],
    answers: Object.fromEntries(problems.map((p) => [problemText(p), p.answer!])),
    accuracy: (model) => (model === 'teacher-model' ? 0.9 : 0.4),
  });
});
afterAll(() => server.close());

test('the four published recipes are there and each loads as written', async () => {
  const names = (await readdir(recipesDir)).filter((f) => f.endsWith('.yaml')).sort();
  expect(names).toEqual(['alpaca-distillation.yaml', 'rest-em.yaml', 'rft.yaml', 'star.yaml']);
  for (const name of names) {
    const { config } = await loadConfig(join(recipesDir, name));
    expect(config.name).toBe(name.replace('.yaml', ''));
  }
});

type Raw = Record<string, Record<string, unknown>>;

/** Runs a recipe for one round against the test server; returns the run directory and its report. */
async function runRecipe(name: string, adapt: (config: Raw, dir: string) => void = () => {}) {
  const config = parse(await readFile(join(recipesDir, `${name}.yaml`), 'utf8')) as Raw;
  config.policy.baseURL = server.url;
  if (config.teacher) config.teacher.baseURL = server.url;
  if (config.train.type === 'openai') config.train.pollIntervalMs = 20;
  // k = 100 (RFT) is 8,000 requests a round: the selection logic is the same at 8.
  config.sampling.k = Math.min(config.sampling.k as number, 8);
  (config as Record<string, unknown>).rounds = 1;
  const dir = await tempDir('starloop-recipe-');
  adapt(config, dir);
  const path = await writeConfig(dir, config);
  const runDir = join(dir, 'run');
  const run = await runCli(['run', '-c', path, '--out', runDir, '--quiet'], { cwd: repoRoot });
  expect(run.code, run.stderr).toBe(0);
  const report = RunReport.parse(JSON.parse((await runCli(['report', runDir, '--json'])).stdout));
  expect(report.rounds).toHaveLength(2);
  expect(report.rounds[1].eval).toBeDefined();
  const provenance = await readJsonl(join(runDir, 'round-0', 'dataset.provenance.jsonl'), Provenance);
  return { runDir, report, provenance, dir };
}

test('star: the command trainer is given the first round of the 40 × 1.2 schedule, and trains from the base', async () => {
  let stepsFile = '';
  const { report, provenance } = await runRecipe('star', (config, dir) => {
    stepsFile = join(dir, 'steps.txt');
    const print = JSON.stringify(JSON.stringify({ model: TRAINED_BY_COMMAND }));
    config.train.command = `printf '%s %s' {steps} {start} > ${stepsFile}; echo ${print}`;
  });
  expect(await readFile(stepsFile, 'utf8')).toBe('40 base-model');
  expect(report.rounds[1].model).toBe(TRAINED_BY_COMMAND);
  expect(provenance.length).toBeGreaterThan(0);
  expect(provenance.every((p) => p.status === 'correct')).toBe(true);
  expect(provenance.some((p) => p.source === 'rationalized')).toBe(true);
});

test('rft: correct paths with the same equation list count once (the scripted paths have none: one per problem)', async () => {
  const { report, provenance } = await runRecipe('rft');
  const byProblem = new Map<string, number>();
  for (const p of provenance) byProblem.set(p.problemId, (byProblem.get(p.problemId) ?? 0) + 1);
  expect([...byProblem.values()].every((n) => n === 1)).toBe(true);
  expect(provenance.every((p) => p.status === 'correct' && p.source === 'sampled')).toBe(true);
  expect(report.rounds[0].train!.survivors).toBe(byProblem.size);
  expect(equationKey('Let me work through it step by step. The answer is 8.')).toBe('');
  const jobs = server.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/fine_tuning/jobs'));
  type Job = { model: string; method?: { supervised?: { hyperparameters?: { n_epochs?: number } } } };
  expect(jobs.some((j) => (j.body as Job).model === 'sft-model' && (j.body as Job).method?.supervised?.hyperparameters?.n_epochs === 3)).toBe(true);
});

test('rest-em: verified samples of the policy, fine-tuned from the base model', async () => {
  const before = server.requests.length;
  const { report, provenance } = await runRecipe('rest-em');
  expect(provenance.every((p) => p.status === 'correct' && p.model === 'base-model')).toBe(true);
  const jobs = server.requests.slice(before).filter((r) => r.method === 'POST' && r.path.endsWith('/fine_tuning/jobs'));
  expect(jobs.map((j) => (j.body as { model: string }).model)).toEqual(['base-model']);
  expect(report.rounds[1].model).toMatch(/^ft:base-model:/);
});

test('alpaca-distillation: the student imitates every teacher sample, wrong ones included', async () => {
  const { report, provenance } = await runRecipe('alpaca-distillation');
  expect(new Set(provenance.map((p) => p.model))).toEqual(new Set(['teacher-model']));
  expect(new Set(provenance.map((p) => p.problemId)).size).toBe(provenance.length);
  expect(provenance.length).toBe(80);
  const wrong = provenance.filter((p) => p.status !== 'correct').length;
  expect(wrong).toBeGreaterThan(0);
  expect(report.rounds[0].train!.keptIncorrect).toBe(wrong);
  expect(report.rounds[1].model).toMatch(/^ft:student-model:/);
});
