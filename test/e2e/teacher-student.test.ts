import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { Provenance } from '../../src/schema/dataset.ts';
import { Problem, problemText } from '../../src/schema/problem.ts';
import { Sample } from '../../src/schema/sample.ts';
import { RoundSummary, RunReport } from '../../src/schema/summary.ts';
import { readJsonl } from '../../src/store/jsonl.ts';
import { startOpenAIServer, type OpenAITestServer, type RecordedRequest } from '../helpers/openai-server.ts';
import { defaultAccuracy } from '../helpers/scripted-policy.ts';
import { demoConfig, fixture, runCli, tempDir, writeConfig } from './cli.ts';

let server: OpenAITestServer;
let trainTexts: Set<string>;
let evalTexts: Set<string>;

beforeAll(async () => {
  const train = await readJsonl(fixture('train.jsonl'), Problem);
  const evaluation = await readJsonl(fixture('eval.jsonl'), Problem);
  trainTexts = new Set(train.map(problemText));
  evalTexts = new Set(evaluation.map(problemText));
  server = await startOpenAIServer({
    models: ['teacher-model', 'student-model'],
    answers: Object.fromEntries([...train, ...evaluation].map((p) => [problemText(p), p.answer!])),
    // The teacher is right far more often than the untrained student.
    accuracy: (model) => (model === 'teacher-model' ? 0.9 : defaultAccuracy(model)),
  });
});
afterAll(() => server.close());

const completions = (model: string, texts: Set<string>) => (r: RecordedRequest) =>
  r.path.endsWith('/chat/completions') && r.model === model && (r.messages ?? []).some((m) => texts.has(m.content));

function teacherConfig(baseURL: string, rounds: 'every' | 'first', extra: Record<string, unknown> = {}) {
  return demoConfig(baseURL, {
    policy: { type: 'openai', baseURL, model: 'student-model', maxRetries: 2 },
    teacher: { type: 'openai', baseURL, model: 'teacher-model', maxRetries: 2, rounds },
    train: { type: 'openai', base: 'student-model', restartFromBase: true, pollIntervalMs: 20 },
    ...extra,
  });
}

test('a teacher samples the training data; the student is evaluated untrained in round 0, fine-tuned and evaluated again', async () => {
  const dir = await tempDir();
  const runDir = join(dir, 'run');
  const config = await writeConfig(dir, teacherConfig(server.url, 'every', { rounds: 1, select: { maxPerProblem: 4, dedupe: 'none', filter: 'none' } }));
  const before = server.requests.length;
  const run = await runCli(['run', '-c', config, '--out', runDir]);
  expect(run.code, run.stderr).toBe(0);
  expect(run.stderr).toMatch(/teacher teacher-model samples the training data in every round/);
  expect(run.stderr).toMatch(/rationalization is off/);
  const log = server.requests.slice(before);

  // Round 0: the teacher drew every train sample, and only train samples; the untrained student was evaluated.
  expect(log.filter(completions('teacher-model', trainTexts)).length).toBeGreaterThan(0);
  expect(log.filter(completions('teacher-model', evalTexts))).toHaveLength(0);
  expect(log.filter(completions('student-model', trainTexts))).toHaveLength(0);
  expect(log.filter(completions('student-model', evalTexts)).length).toBeGreaterThan(0);
  // The fine-tune starts from the student, and the fine-tuned student is what round 1 evaluates.
  const jobs = log.filter((r) => r.method === 'POST' && r.path.endsWith('/fine_tuning/jobs'));
  expect(jobs.map((j) => (j.body as { model: string }).model)).toEqual(['student-model']);
  const report = RunReport.parse(JSON.parse((await runCli(['report', runDir, '--json'])).stdout));
  expect(report.rounds.map((r) => r.model)).toEqual(['student-model', expect.stringMatching(/^ft:student-model:/)]);
  expect(log.filter(completions(report.rounds[1].model, evalTexts)).length).toBeGreaterThan(0);
  // The teacher sampling is reported: round 0's train metrics are the teacher's (right 90% of the time).
  expect(report.rounds[0].train!.passAt1).toBeGreaterThan(0.7);
  expect(report.rounds[0].eval!.passAt1).toBeLessThan(0.6);

  // Imitation keeps the teacher's wrong samples too, and the dataset says whose samples they are and how they were judged.
  const provenance = await readJsonl(join(runDir, 'round-0', 'dataset.provenance.jsonl'), Provenance);
  expect(provenance).toHaveLength(12 * 4);
  expect(new Set(provenance.map((p) => p.model))).toEqual(new Set(['teacher-model']));
  expect(provenance.filter((p) => p.status !== 'correct').length).toBe(report.rounds[0].train!.keptIncorrect);
  expect(report.rounds[0].train!.keptIncorrect).toBeGreaterThan(0);
});

test('with teacher.rounds first, later rounds are sampled by the student, STaR-style, and verified', async () => {
  const dir = await tempDir();
  const runDir = join(dir, 'run');
  const config = await writeConfig(dir, teacherConfig(server.url, 'first', { rounds: 2, rationalize: { enabled: false } }));
  const before = server.requests.length;
  const run = await runCli(['run', '-c', config, '--out', runDir, '--quiet']);
  expect(run.code, run.stderr).toBe(0);
  const log = server.requests.slice(before);
  const report = RunReport.parse(JSON.parse((await runCli(['report', runDir, '--json'])).stdout));
  const firstStudent = report.rounds[1].model;
  expect(log.filter(completions('teacher-model', trainTexts)).length).toBeGreaterThan(0);
  expect(log.filter(completions(firstStudent, trainTexts)).length).toBeGreaterThan(0);
  for (const round of [0, 1]) {
    const provenance = await readJsonl(join(runDir, `round-${round}`, 'dataset.provenance.jsonl'), Provenance);
    expect(new Set(provenance.map((p) => p.model))).toEqual(new Set([round === 0 ? 'teacher-model' : firstStudent]));
    expect(provenance.every((p) => p.status === 'correct')).toBe(true);
  }
});

test('a teacher with batch: true samples the training data through the Batch API at half price; the student is evaluated with direct requests', async () => {
  const dir = await tempDir();
  const runDir = join(dir, 'run');
  const pricing = { input: 2, output: 8 };
  const teacher = { type: 'openai', baseURL: server.url, model: 'teacher-model', maxRetries: 2, rounds: 'every', batch: { pollIntervalMs: 20 }, pricing };
  const config = await writeConfig(dir, teacherConfig(server.url, 'every', { rounds: 1, teacher, rationalize: { enabled: false } }));
  const before = server.requests.length;
  const batchesBefore = server.batches().length;
  const run = await runCli(['run', '-c', config, '--out', runDir, '--quiet']);
  expect(run.code, run.stderr).toBe(0);
  const log = server.requests.slice(before);
  const batches = server.batches().slice(batchesBefore);
  const batchIds = new Set(batches.map((b) => b.id));
  // Every teacher completion came from a batch of this run; every student completion was sent directly.
  const teacherCalls = log.filter(completions('teacher-model', trainTexts));
  expect(teacherCalls.length).toBeGreaterThan(0);
  expect(teacherCalls.every((r) => r.batch !== undefined && batchIds.has(r.batch))).toBe(true);
  const studentCalls = log.filter(completions('student-model', evalTexts));
  expect(studentCalls.length).toBeGreaterThan(0);
  expect(studentCalls.every((r) => r.batch === undefined)).toBe(true);
  expect(log.filter(completions('student-model', trainTexts))).toHaveLength(0);
  // The round's train samples are the teacher's, k per problem, each drawn once.
  const samples = await readJsonl(join(runDir, 'round-0', 'samples.jsonl'), Sample);
  expect(samples).toHaveLength(trainTexts.size * 4);
  expect(new Set(samples.map((s) => s.id)).size).toBe(samples.length);
  expect(new Set(samples.map((s) => s.model))).toEqual(new Set(['teacher-model']));
  expect(batches.every((b) => b.status === 'completed')).toBe(true);
  // The teacher's tokens are priced at its batch price.
  const summary = RoundSummary.parse(JSON.parse(await readFile(join(runDir, 'round-0', 'summary.json'), 'utf8')));
  const { prompt, completion } = summary.train!.tokens;
  expect(prompt).toBeGreaterThan(0);
  expect(summary.train!.costUsd).toBeCloseTo(((prompt * pricing.input + completion * pricing.output) * 0.5) / 1e6, 12);
});
