import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { Problem, problemText } from '../../src/schema/problem.ts';
import { Sample } from '../../src/schema/sample.ts';
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

test('kill -9 during sampling, then --resume: no stored sample is requested again and none is duplicated', async () => {
  const dir = await tempDir();
  const config = await writeConfig(
    dir,
    demoConfig(server.url, {
      policy: { type: 'openai', baseURL: server.url, model: 'base-model', n: 'fanout', maxRetries: 2 },
      sampling: { k: 8, temperature: 0.8, maxTokens: 128, concurrency: 2 },
      rounds: 1,
    }),
  );
  const runDir = join(dir, 'run');
  const evalSamples = join(runDir, 'round-0', 'eval.jsonl');
  server.faults.set({ delayMs: 40 });
  const first = startCli(['run', '-c', config, '--out', runDir, '--quiet']);
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (existsSync(evalSamples) && (await readFile(evalSamples, 'utf8')).split('\n').length > 10) break;
    await sleep(20);
  }
  first.child.kill('SIGKILL');
  const killed = await first.done;
  expect(killed.signal).toBe('SIGKILL');
  server.faults.set({});

  const storedBefore = await readJsonl(evalSamples, Sample, { tolerateTornTail: true });
  expect(storedBefore.length).toBeGreaterThan(0);
  expect(storedBefore.length).toBeLessThan(64);
  const requestsBefore = server.requests.length;

  const resumed = await runCli(['run', '-c', config, '--out', runDir, '--resume', '--quiet']);
  expect(resumed.stderr).toBe('');
  expect(resumed.code).toBe(0);

  const samples = await readJsonl(evalSamples, Sample);
  expect(samples).toHaveLength(64);
  expect(new Set(samples.map((s) => s.id)).size).toBe(64);
  // Every sample stored before the kill is still there, unchanged.
  const byId = new Map(samples.map((s) => [s.id, s]));
  for (const sample of storedBefore) expect(byId.get(sample.id)).toEqual(sample);

  // Nothing stored before the kill was requested again: fan-out sends seed = index, one request per sample.
  const textOf = new Map((await readJsonl(fixture('eval.jsonl'), Problem)).map((p) => [p.id, problemText(p)]));
  const storedPrompts = new Set(storedBefore.map((s) => `${textOf.get(s.problemId)}#${s.index}`));
  const after = server.requests.slice(requestsBefore).filter((r) => r.path.endsWith('/chat/completions') && r.model === 'base-model');
  expect(after.length).toBeGreaterThan(0);
  for (const request of after) {
    const user = request.messages!.filter((m) => m.role === 'user').at(-1)!.content;
    expect(storedPrompts.has(`${user}#${request.seed}`)).toBe(false);
  }
});
