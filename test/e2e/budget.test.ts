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

const sampleRequests = () => server.requests.filter((r) => r.path.endsWith('/chat/completions') && r.model === 'base-model').length;

function budgetConfig(maxSamples: number): Record<string, unknown> {
  return demoConfig(server.url, {
    policy: { type: 'openai', baseURL: server.url, model: 'base-model', n: 'fanout', maxRetries: 0 },
    sampling: { k: 4, temperature: 0.8, maxTokens: 128, concurrency: 8 },
    rationalize: { enabled: false },
    rounds: 1,
    budget: { maxSamples },
  });
}

test('budget.maxSamples stops the run at the cap with exit 5 and everything stored; --resume with a raised cap finishes without asking again', async () => {
  const dir = await tempDir();
  const runDir = join(dir, 'run');
  const before = sampleRequests();
  // 16 eval problems × 4 = 64 eval samples, then 16 of the 48 train samples.
  const stopped = await runCli(['run', '-c', await writeConfig(dir, budgetConfig(80)), '--out', runDir, '--quiet']);
  expect(stopped.code, stopped.stderr).toBe(5);
  expect(stopped.stderr).toMatch(/budget reached: spent 80 of budget\.maxSamples 80 samples.*--resume/);
  const stored = async () => [
    ...(await readJsonl(join(runDir, 'round-0', 'eval.jsonl'), Sample)),
    ...(await readJsonl(join(runDir, 'round-0', 'samples.jsonl'), Sample)),
  ];
  expect(await stored()).toHaveLength(80);
  expect(sampleRequests() - before).toBe(80);

  // A second run at the same cap sends nothing and stops at once.
  const again = await runCli(['run', '-c', await writeConfig(dir, budgetConfig(80)), '--out', runDir, '--resume', '--quiet']);
  expect(again.code).toBe(5);
  expect(sampleRequests() - before).toBe(80);

  const resumed = await runCli(['run', '-c', await writeConfig(dir, budgetConfig(1000)), '--out', runDir, '--resume', '--quiet']);
  expect(resumed.stderr).toBe('');
  expect(resumed.code).toBe(0);
  const samples = await stored();
  // Round 0 (64 eval + 48 train), each asked of the base model once; round 1 evaluates the trained model.
  expect(samples).toHaveLength(112);
  expect(new Set(samples.map((s) => s.id)).size).toBe(112);
  expect(sampleRequests() - before).toBe(112);
  expect(await readJsonl(join(runDir, 'round-1', 'eval.jsonl'), Sample)).toHaveLength(64);
});

test('a cost cap for a model of unknown price is refused before any request, naming policy.pricing', async () => {
  const dir = await tempDir();
  const before = sampleRequests();
  const config = { ...budgetConfig(1000), budget: { maxCostUsd: 1 } };
  const result = await runCli(['run', '-c', await writeConfig(dir, config), '--out', join(dir, 'run'), '--quiet']);
  expect(result.code).toBe(2);
  expect(result.stderr).toMatch(/budget\.maxCostUsd.*policy\.pricing/);
  expect(sampleRequests()).toBe(before);
});
