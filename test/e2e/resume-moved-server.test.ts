import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { RunManifest } from '../../src/schema/manifest.ts';
import { Problem, problemText } from '../../src/schema/problem.ts';
import { Sample } from '../../src/schema/sample.ts';
import { readJsonl } from '../../src/store/jsonl.ts';
import { startOpenAIServer, type OpenAITestServer } from '../helpers/openai-server.ts';
import { demoConfig, fixture, runCli, startCli, tempDir, writeConfig } from './cli.ts';

let answers: Record<string, string>;
const servers: OpenAITestServer[] = [];

beforeAll(async () => {
  const problems = [...(await readJsonl(fixture('train.jsonl'), Problem)), ...(await readJsonl(fixture('eval.jsonl'), Problem))];
  answers = Object.fromEntries(problems.map((p) => [problemText(p), p.answer!]));
});
afterAll(async () => {
  for (const server of servers) await server.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function startServer(): Promise<OpenAITestServer> {
  const server = await startOpenAIServer({ models: ['base-model'], answers });
  servers.push(server);
  return server;
}

const policy = (baseURL: string, extra: Record<string, unknown> = {}) => ({ type: 'openai', baseURL, model: 'base-model', n: 'fanout', maxRetries: 2, ...extra });

test('the server moved port: --resume with the new URL (and other deployment keys) requests no stored sample again and records the change', async () => {
  const first = await startServer();
  const dir = await tempDir();
  const settings = { sampling: { k: 8, temperature: 0.8, maxTokens: 128, concurrency: 2 }, rounds: 1 };
  const config = await writeConfig(dir, demoConfig(first.url, { ...settings, policy: policy(first.url) }));
  const runDir = join(dir, 'run');
  const evalSamples = join(runDir, 'round-0', 'eval.jsonl');
  first.faults.set({ delayMs: 40 });
  const running = startCli(['run', '-c', config, '--out', runDir, '--quiet']);
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (existsSync(evalSamples) && (await readFile(evalSamples, 'utf8')).split('\n').length > 10) break;
    await sleep(20);
  }
  running.child.kill('SIGKILL');
  expect((await running.done).signal).toBe('SIGKILL');
  await first.close();

  const storedBefore = await readJsonl(evalSamples, Sample, { tolerateTornTail: true });
  expect(storedBefore.length).toBeGreaterThan(0);
  expect(storedBefore.length).toBeLessThan(64);

  // The same run, served elsewhere: another port, another key variable, more requests in flight.
  const second = await startServer();
  expect(second.port).not.toBe(first.port);
  const moved = await writeConfig(
    dir,
    demoConfig(second.url, { ...settings, sampling: { ...settings.sampling, concurrency: 6 }, policy: policy(second.url, { apiKeyEnv: 'MOVED_KEY', timeoutMs: 30_000 }) }),
    'moved.yaml',
  );
  const resumed = await runCli(['run', '-c', moved, '--out', runDir, '--resume']);
  expect(resumed.code, resumed.stderr).toBe(0);
  expect(resumed.stderr).toContain(`changed on resume (recorded in manifest.json): policy.apiKeyEnv "OPENAI_API_KEY" → "MOVED_KEY"; policy.baseURL "${first.url}" → "${second.url}"`);

  const samples = await readJsonl(evalSamples, Sample);
  expect(samples).toHaveLength(64);
  const byId = new Map(samples.map((s) => [s.id, s]));
  for (const sample of storedBefore) expect(byId.get(sample.id)).toEqual(sample);

  // Fan-out sends seed = index, one request per sample: none of the new server's requests is for a stored sample.
  const textOf = new Map((await readJsonl(fixture('eval.jsonl'), Problem)).map((p) => [p.id, problemText(p)]));
  const storedPrompts = new Set(storedBefore.map((s) => `${textOf.get(s.problemId)}#${s.index}`));
  const asked = second.requests.filter((r) => r.path.endsWith('/chat/completions') && r.model === 'base-model');
  expect(asked.length).toBeGreaterThan(0);
  for (const request of asked) {
    const user = request.messages!.filter((m) => m.role === 'user').at(-1)!.content;
    expect(storedPrompts.has(`${user}#${request.seed}`)).toBe(false);
  }

  const manifest = RunManifest.parse(JSON.parse(await readFile(join(runDir, 'manifest.json'), 'utf8')));
  expect(manifest.changes).toHaveLength(1);
  const [change] = manifest.changes!;
  expect(Date.parse(change.at)).toBeGreaterThan(Date.now() - 120_000);
  expect(change.keys).toEqual({
    'policy.apiKeyEnv': { from: 'OPENAI_API_KEY', to: 'MOVED_KEY' },
    'policy.baseURL': { from: first.url, to: second.url },
    'policy.timeoutMs': { from: 600_000, to: 30_000 },
    'sampling.concurrency': { from: 2, to: 6 },
  });
  expect((manifest.config.policy as { baseURL: string }).baseURL).toBe(second.url);

  // A key that decides what is computed still may not change.
  const remodeled = await writeConfig(dir, demoConfig(second.url, { ...settings, policy: policy(second.url, { model: 'other-model' }) }), 'remodeled.yaml');
  const refused = await runCli(['run', '-c', remodeled, '--out', runDir, '--resume', '--quiet']);
  expect(refused.code).toBe(3);
  expect(refused.stderr).toMatch(/the config changed in policy\.model, which decides what is computed/);
});
