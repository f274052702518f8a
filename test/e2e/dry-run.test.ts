import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { Problem, problemText } from '../../src/schema/problem.ts';
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

const completionRequests = () => server.requests.filter((r) => /\/(chat\/)?completions$/.test(r.path)).length;

interface PlanJson {
  requests: number;
  samples: number;
  promptTokens: number;
  completionTokens: number;
  completionTokensAtObservedMean: number | null;
  costUsd: number | null;
  exact: boolean;
  rounds: { round: number; stages: { stage: string; requests: number; samples: number; bound: string }[] }[];
  tokenizers: { model: string; exact: boolean; method: string }[];
  notes: string[];
}

/** Every sample a run directory holds, both rounds, both phases. */
async function storedSamples(runDir: string): Promise<Sample[]> {
  const out: Sample[] = [];
  for (const round of [0, 1]) {
    for (const file of ['eval.jsonl', 'samples.jsonl']) {
      const path = join(runDir, `round-${round}`, file);
      if (existsSync(path)) out.push(...(await readJsonl(path, Sample)));
    }
  }
  return out;
}

const sum = (samples: Sample[], of: (s: Sample) => number) => samples.reduce((total, s) => total + of(s), 0);

function config(policy: Record<string, unknown>, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return demoConfig(server.url, {
    policy: { type: 'openai', baseURL: server.url, model: 'base-model', maxRetries: 0, ...policy },
    rationalize: { enabled: false },
    rounds: 1,
    ...overrides,
  });
}

test('--dry-run --json sends nothing and writes nothing; the real run then sends exactly the planned requests and uses the planned prompt tokens (±5%)', async () => {
  const dir = await tempDir();
  const runDir = join(dir, 'run');
  // Completion mode: the scripted server counts a prompt as 4 characters a token, as the plan estimates an unknown model.
  const path = await writeConfig(dir, config({ mode: 'completions', n: 'native' }));
  const before = completionRequests();
  const anyBefore = server.requests.length;
  const dry = await runCli(['run', '-c', path, '--out', runDir, '--dry-run', '--json']);
  expect(dry.code, dry.stderr).toBe(0);
  // Not one request of any kind (no model list, no file, no completion).
  expect(server.requests.length).toBe(anyBefore);
  expect(completionRequests()).toBe(before);
  expect(existsSync(runDir)).toBe(false);
  const plan = JSON.parse(dry.stdout) as PlanJson;
  // Round 0: 16 eval problems and 12 train problems, one request each (n carries the k samples); round 1: eval again.
  expect(plan.rounds.map((r) => r.stages.map((s) => [s.stage, s.requests, s.samples]))).toEqual([
    [['eval', 16, 64], ['sample', 12, 48]],
    [['eval', 16, 64]],
  ]);
  expect(plan.requests).toBe(44);
  expect(plan.exact).toBe(true);
  expect(plan.tokenizers).toEqual([
    expect.objectContaining({ model: 'base-model', exact: false }),
    expect.objectContaining({ exact: false }),
  ]);
  // No price for base-model or its fine-tune: cost unknown, said so.
  expect(plan.costUsd).toBeNull();
  expect(plan.notes.join('\n')).toMatch(/cost unknown: no price for base-model/);

  const run = await runCli(['run', '-c', path, '--out', runDir, '--quiet']);
  expect(run.code, run.stderr).toBe(0);
  expect(completionRequests() - before).toBe(plan.requests);
  const samples = await storedSamples(runDir);
  expect(samples).toHaveLength(plan.samples);
  const prompt = sum(samples, (s) => s.usage.promptTokens);
  expect(Math.abs(prompt - plan.promptTokens) / plan.promptTokens).toBeLessThanOrEqual(0.05);
  expect(plan.completionTokens).toBeGreaterThanOrEqual(sum(samples, (s) => s.usage.completionTokens));

  // Resumed, the finished run plans nothing more.
  const after = await runCli(['run', '-c', path, '--out', runDir, '--resume', '--dry-run', '--json']);
  expect(after.code, after.stderr).toBe(0);
  expect(JSON.parse(after.stdout)).toMatchObject({ requests: 0, samples: 0, promptTokens: 0 });
});

test('with --resume the plan leaves out what is stored: after a budget stop it plans exactly the requests the resumed run sends', async () => {
  const dir = await tempDir();
  const runDir = join(dir, 'run');
  const fanout = (maxSamples: number) => config({ n: 'fanout' }, { budget: { maxSamples } });
  const before = completionRequests();
  const stopped = await runCli(['run', '-c', await writeConfig(dir, fanout(80)), '--out', runDir, '--quiet']);
  expect(stopped.code, stopped.stderr).toBe(5);
  const sent = completionRequests() - before;

  const path = await writeConfig(dir, fanout(1000), 'raised.yaml');
  const dry = await runCli(['run', '-c', path, '--out', runDir, '--resume', '--dry-run', '--json']);
  expect(dry.code, dry.stderr).toBe(0);
  const plan = JSON.parse(dry.stdout) as PlanJson;
  // 64 eval + 48 train samples in round 0 and 64 eval in round 1, one request each (fan-out), less the 80 stored.
  expect(plan.samples).toBe(64 + 48 + 64 - 80);
  expect(plan.requests).toBe(plan.samples);
  expect(completionRequests() - before).toBe(sent);

  const storedBefore = await storedSamples(runDir);
  const resumed = await runCli(['run', '-c', path, '--out', runDir, '--resume', '--quiet']);
  expect(resumed.code, resumed.stderr).toBe(0);
  expect(completionRequests() - before - sent).toBe(plan.requests);
  const drawn = (await storedSamples(runDir)).slice(storedBefore.length);
  expect(drawn).toHaveLength(plan.samples);
  const completion = sum(drawn, (s) => s.usage.completionTokens);
  // maxTokens each bounds it; the stored samples' mean length predicts it (this scripted model's answers are alike).
  expect(plan.completionTokens).toBeGreaterThanOrEqual(completion);
  expect(Math.abs(completion - plan.completionTokensAtObservedMean!) / completion).toBeLessThanOrEqual(0.05);
});

test('the table names each stage, says what is exact and what is at most, and how tokens were counted', async () => {
  const dir = await tempDir();
  const path = await writeConfig(dir, config({ model: 'gpt-4o-mini' }, { rationalize: { enabled: true, k: 2 }, sampling: { k: 4, maxTokens: 128, strategy: 'stop-after-correct', correct: 1 }, train: { type: 'none' } }));
  const dry = await runCli(['run', '-c', path, '--out', join(dir, 'run'), '--dry-run']);
  expect(dry.code, dry.stderr).toBe(0);
  expect(dry.stdout).toMatch(/^\s+0\s+eval\s+gpt-4o-mini\s+16\s+16\s+64\s.*\sexact$/m);
  expect(dry.stdout).toMatch(/^\s+0\s+sample\s+gpt-4o-mini\s+12\s+48\s+48\s.*\sat most$/m);
  expect(dry.stdout).toMatch(/^\s+0\s+rationalize\s+gpt-4o-mini\s+12\s+12\s+24\s.*\sat most$/m);
  expect(dry.stdout).toMatch(/prompt tokens of gpt-4o-mini: counted with its tokenizer \(o200k_base\)/);
  expect(dry.stdout).toMatch(/completion tokens are an upper bound/);
  expect(dry.stdout).toMatch(/worst case, all 12 with a gold answer/);
  expect(dry.stdout).toMatch(/policy\.n auto: .*if it ignores n, up to 64 requests/);
  expect(existsSync(join(dir, 'run'))).toBe(false);
});

test('bad input gets one clear line and no stack trace: a cost cap on a model of unknown price, a resume of nothing', async () => {
  const dir = await tempDir();
  const before = completionRequests();
  const capped = await runCli(['run', '-c', await writeConfig(dir, config({}, { budget: { maxCostUsd: 1 } })), '--out', join(dir, 'run'), '--dry-run']);
  expect(capped.code).toBe(2);
  expect(capped.stderr).toMatch(/budget\.maxCostUsd is set, but the price of model base-model.*policy\.pricing/);
  expect(capped.stderr.trim().split('\n')).toHaveLength(1);
  expect(capped.stderr).not.toMatch(/\n\s+at /);

  const nothing = await runCli(['run', '-c', await writeConfig(dir, config({})), '--out', join(dir, 'missing'), '--resume', '--dry-run']);
  expect(nothing.code).not.toBe(0);
  expect(nothing.stderr).toMatch(/nothing to resume/);
  expect(nothing.stderr).not.toMatch(/\n\s+at /);
  expect(completionRequests()).toBe(before);
  expect(existsSync(join(dir, 'run'))).toBe(false);
  expect(existsSync(join(dir, 'missing'))).toBe(false);
});
