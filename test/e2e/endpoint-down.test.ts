import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { Problem, problemText } from '../../src/schema/problem.ts';
import { Sample } from '../../src/schema/sample.ts';
import { readJsonl } from '../../src/store/jsonl.ts';
import { startOpenAIServer, type OpenAITestServer } from '../helpers/openai-server.ts';
import { demoConfig, fixture, startCli, tempDir, writeConfig } from './cli.ts';

let steady: OpenAITestServer;
let dying: OpenAITestServer;

beforeAll(async () => {
  const problems = await readJsonl(fixture('train.jsonl'), Problem);
  const answers = Object.fromEntries(problems.map((p) => [problemText(p), p.answer!]));
  [steady, dying] = await Promise.all([startOpenAIServer({ models: ['base-model'], answers }), startOpenAIServer({ models: ['base-model'], answers })]);
});
afterAll(() => Promise.all([steady.close(), dying.close()]));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('an endpoint that dies mid-run is taken out with a warning the CLI prints, and no sample is lost or duplicated', async () => {
  const dir = await tempDir();
  const config = await writeConfig(
    dir,
    demoConfig(steady.url, {
      policy: { type: 'openai', model: 'base-model', n: 'fanout', maxRetries: 2, endpoints: [{ baseURL: steady.url }, { baseURL: dying.url }] },
      sampling: { k: 6, temperature: 0.8, maxTokens: 128, concurrency: 4 },
    }),
  );
  const out = join(dir, 'samples.jsonl');
  for (const server of [steady, dying]) server.faults.set({ delayMs: 100 });
  const run = startCli(['sample', '-c', config, '--out', out, '--quiet']);
  const deadline = Date.now() + 60_000;
  while (dying.requests.length < 5 && Date.now() < deadline) await sleep(10);
  // Down with requests in flight: their connections are cut, and the port refuses from now on.
  await dying.close();
  const result = await run.done;

  expect(result.code).toBe(0);
  expect(result.stderr).toContain(`warning: endpoint ${dying.url} taken out of rotation`);
  const samples = await readJsonl(out, Sample);
  expect(samples).toHaveLength(12 * 6);
  expect(new Set(samples.map((s) => s.id)).size).toBe(12 * 6);
  expect(new Set(samples.map((s) => `${s.problemId}#${s.index}`)).size).toBe(12 * 6);
  expect(dying.requests.length).toBeGreaterThanOrEqual(5);
  expect(steady.requests.length).toBeGreaterThan(0);
});
