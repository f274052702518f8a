import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { Problem, problemText } from '../../src/schema/problem.ts';
import { Sample } from '../../src/schema/sample.ts';
import { RoundSummary } from '../../src/schema/summary.ts';
import { readJsonl } from '../../src/store/jsonl.ts';
import { startOpenAIServer, type OpenAITestServer } from '../helpers/openai-server.ts';
import { demoConfig, fixture, runCli, startCli, tempDir, writeConfig } from './cli.ts';

let server: OpenAITestServer;

beforeAll(async () => {
  const problems = [...(await readJsonl(fixture('train.jsonl'), Problem)), ...(await readJsonl(fixture('eval.jsonl'), Problem))];
  server = await startOpenAIServer({ models: ['base-model'], answers: Object.fromEntries(problems.map((p) => [problemText(p), p.answer!])) });
});
afterAll(() => server.close());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function savedBatches(path: string): Promise<{ batchId?: string; done: boolean }[]> {
  if (!existsSync(path)) return [];
  return (JSON.parse(await readFile(path, 'utf8')) as { batches: { batchId?: string; done: boolean }[] }).batches;
}

test('policy.batch: kill -9 while a batch is polled, then --resume collects that same batch; nothing is submitted twice; cost at batch price', async () => {
  const dir = await tempDir();
  const pricing = { input: 2, output: 8 };
  const config = await writeConfig(
    dir,
    demoConfig(server.url, {
      policy: { type: 'openai', baseURL: server.url, model: 'base-model', maxRetries: 2, batch: { pollIntervalMs: 20 }, pricing },
      rounds: 1,
    }),
  );
  const runDir = join(dir, 'run');
  const evalState = join(runDir, 'round-0', 'batch-state-eval.json');
  server.faults.set({ batchHold: true });
  const first = startCli(['run', '-c', config, '--out', runDir, '--quiet']);
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && !(await savedBatches(evalState))[0]?.batchId) await sleep(20);
  while (Date.now() < deadline && server.batches()[0]?.status !== 'in_progress') await sleep(20);
  // Polled a few times while held, then killed without warning.
  await sleep(200);
  first.child.kill('SIGKILL');
  expect((await first.done).signal).toBe('SIGKILL');
  const [held] = server.batches();
  expect(server.batches()).toHaveLength(1);
  expect(held.status).toBe('in_progress');
  expect(await savedBatches(evalState)).toEqual([expect.objectContaining({ batchId: held.id, done: false })]);

  server.faults.set({ batchHold: false });
  const resumed = await runCli(['run', '-c', config, '--out', runDir, '--resume', '--quiet']);
  expect(resumed.stderr).toBe('');
  expect(resumed.code).toBe(0);

  // The eval stage's only batch is the one submitted before the kill; every eval sample came from it.
  expect(await savedBatches(evalState)).toEqual([expect.objectContaining({ batchId: held.id, done: true })]);
  const evalProblems = await readJsonl(fixture('eval.jsonl'), Problem);
  const samples = await readJsonl(join(runDir, 'round-0', 'eval.jsonl'), Sample);
  expect(samples).toHaveLength(evalProblems.length * 4);
  expect(new Set(samples.map((s) => s.id)).size).toBe(samples.length);
  expect(held.request_counts).toEqual({ total: samples.length, completed: samples.length, failed: 0 });
  // Every batch's input was uploaded once, and no completion was asked for outside a batch.
  const batchIds = new Set(server.batches().map((b) => b.id));
  expect(server.uploads().filter((u) => u.purpose === 'batch')).toHaveLength(batchIds.size);
  const completions = server.requests.filter((r) => r.path === '/v1/chat/completions');
  expect(completions.every((r) => r.batch !== undefined && batchIds.has(r.batch))).toBe(true);

  const summary = RoundSummary.parse(JSON.parse(await readFile(join(runDir, 'round-0', 'summary.json'), 'utf8')));
  const { prompt, completion } = summary.eval!.tokens;
  expect(prompt).toBeGreaterThan(0);
  expect(summary.eval!.costUsd).toBeCloseTo(((prompt * pricing.input + completion * pricing.output) * 0.5) / 1e6, 12);
});

test('starloop sample with policy.batch keeps its batches beside the samples file and draws every sample once', async () => {
  const dir = await tempDir();
  const config = await writeConfig(dir, demoConfig(server.url, { policy: { type: 'openai', baseURL: server.url, model: 'base-model', batch: { pollIntervalMs: 20 } } }));
  const out = join(dir, 'samples.jsonl');
  const before = server.batches().length;
  const result = await runCli(['sample', '-c', config, '--k', '2', '--out', out, '--quiet']);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);

  const samples = await readJsonl(out, Sample);
  expect(samples).toHaveLength(24);
  expect(new Set(samples.map((s) => s.id)).size).toBe(24);
  const created = server.batches().slice(before);
  expect(created).toHaveLength(1);
  expect(await savedBatches(`${out}.batch-state.json`)).toEqual([expect.objectContaining({ batchId: created[0].id, done: true })]);
});
