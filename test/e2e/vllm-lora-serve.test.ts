import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { Problem, problemText } from '../../src/schema/problem.ts';
import { Sample } from '../../src/schema/sample.ts';
import { type PolicyRef, ServeState } from '../../src/schema/training.ts';
import { readJsonl } from '../../src/store/jsonl.ts';
import { readRunManifest } from '../../src/store/run-reader.ts';
import { startOpenAIServer, type OpenAITestServer } from '../helpers/openai-server.ts';
import { demoConfig, fixture, repoRoot, runCli, startCli, tempDir, writeConfig } from './cli.ts';

const writeAdapter = join(repoRoot, 'test/fixtures/trainers/write-adapter.mjs');
let answers: Record<string, string>;
const servers: OpenAITestServer[] = [];

beforeAll(async () => {
  const problems = [...(await readJsonl(fixture('train.jsonl'), Problem)), ...(await readJsonl(fixture('eval.jsonl'), Problem))];
  answers = Object.fromEntries(problems.map((p) => [problemText(p), p.answer!]));
});
afterAll(() => Promise.all(servers.map((s) => s.close())));

async function server(options: Parameters<typeof startOpenAIServer>[0] = {}): Promise<OpenAITestServer> {
  const started = await startOpenAIServer({ models: ['base-model'], answers, ...options });
  servers.push(started);
  return started;
}

function loraConfig(urls: string[], overrides: Record<string, unknown> = {}) {
  return demoConfig(urls[0], {
    policy: { type: 'openai', endpoints: urls.map((baseURL) => ({ baseURL })), model: 'base-model', maxRetries: 1, n: 'fanout' },
    sampling: { k: 2, temperature: 0.8, maxTokens: 128, concurrency: 4 },
    eval: { k: 2, temperature: 0.8 },
    train: { type: 'command', command: `node ${writeAdapter} {dataset} {outDir} {round}`, base: 'base-model', serve: { type: 'vllm-lora' } },
    ...overrides,
  });
}

const loads = (s: OpenAITestServer) => s.requests.filter((r) => r.path === '/v1/load_lora_adapter').map((r) => r.body as { lora_name: string; lora_path: string });
const unloads = (s: OpenAITestServer) => s.requests.filter((r) => r.path === '/v1/unload_lora_adapter').map((r) => (r.body as { lora_name: string }).lora_name);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('2 rounds on two vLLM endpoints: each adapter loaded once on both, sampled by the next round, the old one unloaded; kill -9 after a load and --resume loads nothing twice', async () => {
  const [first, second] = [await server(), await server()];
  const dir = await tempDir();
  const runDir = join(dir, 'run');
  const trainLog = join(dir, 'train.log');
  const config = await writeConfig(dir, loraConfig([first.url, second.url]));

  // The second endpoint is slow to list its models, so the kill lands after its load and before the
  // run recorded that load as confirmed: the hardest moment to resume from.
  second.faults.set({ delayMs: 1500, paths: ['/v1/models'] });
  const killed = startCli(['run', '-c', config, '--out', runDir, '--quiet'], { env: { TRAIN_LOG: trainLog } });
  const deadline = Date.now() + 60_000;
  while (!second.adapters.has('star-r1') && Date.now() < deadline) await sleep(20);
  expect(second.adapters.get('star-r1')).toBe(join(runDir, 'round-0', 'trainer'));
  killed.child.kill('SIGKILL');
  expect((await killed.done).signal).toBe('SIGKILL');
  const interrupted = ServeState.parse(JSON.parse(await readFile(join(runDir, 'round-0', 'serve-state.json'), 'utf8')));
  expect(interrupted.endpoints).toEqual({ [first.url]: 'loaded', [second.url]: 'loading' });
  second.faults.set({ delayMs: 0 });

  const resumed = await runCli(['run', '-c', config, '--out', runDir, '--resume', '--quiet'], { env: { TRAIN_LOG: trainLog } });
  expect(resumed.stderr).toBe('');
  expect(resumed.code).toBe(0);

  // Trained once per round, kill or not.
  expect((await readFile(trainLog, 'utf8')).trim().split('\n').map((line) => line.split(' ')[0])).toEqual(['1', '2']);
  for (const s of [first, second]) {
    // Every adapter was loaded exactly once on each endpoint, from its round's adapter directory.
    expect(loads(s).map((l) => l.lora_name)).toEqual(['star-r1', 'star-r2']);
    for (const { lora_path } of loads(s)) expect(existsSync(join(lora_path, 'adapter_config.json'))).toBe(true);
    // The round-1 adapter went once round 2's was in; round 2's stays for whoever uses the result.
    expect(unloads(s)).toEqual(['star-r1']);
    expect([...s.adapters.keys()]).toEqual(['star-r2']);
    // Each endpoint sampled the round-1 adapter (the policy spreads requests over both).
    expect(s.requests.some((r) => r.path === '/v1/chat/completions' && r.model === 'star-r1')).toBe(true);
  }

  // Stored relative to the run directory (so a moved run finds them), read back where they are now.
  const stored = JSON.parse(await readFile(join(runDir, 'manifest.json'), 'utf8')) as { policies: PolicyRef[] };
  expect(stored.policies.map((p) => p.checkpoint)).toEqual([undefined, join('round-0', 'trainer'), join('round-1', 'trainer')]);
  expect((await readRunManifest(runDir)).policies).toEqual([
    { model: 'base-model' },
    { model: 'star-r1', checkpoint: join(runDir, 'round-0', 'trainer') },
    { model: 'star-r2', checkpoint: join(runDir, 'round-1', 'trainer') },
  ]);
  for (const file of ['samples.jsonl', 'eval.jsonl']) {
    const samples = await readJsonl(join(runDir, 'round-1', file), Sample);
    expect(samples.length).toBeGreaterThan(0);
    expect(new Set(samples.map((s) => s.model))).toEqual(new Set(['star-r1']));
  }
  const roundZero = ServeState.parse(JSON.parse(await readFile(join(runDir, 'round-0', 'serve-state.json'), 'utf8')));
  expect(roundZero.endpoints).toEqual({ [first.url]: 'unloaded', [second.url]: 'unloaded' });
  const roundOne = ServeState.parse(JSON.parse(await readFile(join(runDir, 'round-1', 'serve-state.json'), 'utf8')));
  expect(roundOne.endpoints).toEqual({ [first.url]: 'loaded', [second.url]: 'loaded' });
}, 180_000);

test('unload: false keeps every round\'s adapter served', async () => {
  const only = await server();
  const dir = await tempDir();
  const config = await writeConfig(dir, loraConfig([only.url], {
    train: { type: 'command', command: `node ${writeAdapter} {dataset} {outDir} {round}`, base: 'base-model', serve: { type: 'vllm-lora', unload: false } },
  }));
  const result = await runCli(['run', '-c', config, '--out', join(dir, 'run'), '--quiet']);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  expect([...only.adapters.keys()]).toEqual(['star-r1', 'star-r2']);
  expect(unloads(only)).toEqual([]);
}, 120_000);

test('a server without runtime LoRA loading fails the run with a backend error naming it and what to switch on', async () => {
  const [able, unable] = [await server(), await server({ lora: false })];
  const dir = await tempDir();
  const config = await writeConfig(dir, loraConfig([able.url, unable.url], { rounds: 1 }));
  const result = await runCli(['run', '-c', config, '--out', join(dir, 'run'), '--quiet']);
  expect(result.code).toBe(4);
  expect(result.stderr).toContain(`loading LoRA adapter star-r1 from ${join(dir, 'run', 'round-0', 'trainer')} on ${unable.url}`);
  expect(result.stderr).toMatch(/VLLM_ALLOW_RUNTIME_LORA_UPDATING=True/);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
}, 120_000);

test('a checkpoint the server cannot find is a backend error naming the endpoint and the path', async () => {
  const only = await server();
  const dir = await tempDir();
  const script = join(dir, 'no-adapter.sh');
  const { writeFile } = await import('node:fs/promises');
  await writeFile(script, `printf '{"model":"star","checkpoint":"%s/missing"}\\n' "$1"\n`);
  const config = await writeConfig(dir, loraConfig([only.url], { rounds: 1, train: { type: 'command', command: `sh ${script} {outDir}`, base: 'base-model', serve: { type: 'vllm-lora' } } }));
  const result = await runCli(['run', '-c', config, '--out', join(dir, 'run'), '--quiet']);
  expect(result.code).toBe(4);
  expect(result.stderr).toContain(only.url);
  expect(result.stderr).toContain('No adapter found for');
  expect(result.stderr).toContain(join(dir, 'run', 'round-0', 'trainer', 'missing'));
}, 120_000);

test('train.serve with a policy that has no server to load into is a config error before the run directory exists', async () => {
  const dir = await tempDir();
  const runDir = join(dir, 'run');
  const config = await writeConfig(dir, loraConfig(['http://127.0.0.1:9/v1'], { policy: { type: 'embedded' }, rounds: 1 }));
  const result = await runCli(['run', '-c', config, '--out', runDir, '--quiet']);
  expect(result.code).toBe(2);
  expect(result.stderr.trim()).toBe('starloop: train.serve loads adapters into the policy\'s servers; it needs policy.type openai, not embedded');
  expect(existsSync(runDir)).toBe(false);
}, 60_000);

test('SGLang: the adapter is loaded at the server root and the next round samples it as <base>:<adapter>', async () => {
  const only = await server({ lora: 'sglang' });
  const dir = await tempDir();
  const runDir = join(dir, 'run');
  const config = await writeConfig(dir, loraConfig([only.url], {
    rounds: 1,
    train: { type: 'command', command: `node ${writeAdapter} {dataset} {outDir} {round}`, base: 'base-model', serve: { type: 'sglang-lora' } },
  }));
  const result = await runCli(['run', '-c', config, '--out', runDir, '--quiet']);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  expect(only.requests.filter((r) => r.path === '/load_lora_adapter').map((r) => (r.body as { lora_name: string }).lora_name)).toEqual(['star-r1']);
  expect([...only.adapters.keys()]).toEqual(['star-r1']);
  expect((await readRunManifest(runDir)).policies[1]).toEqual({ model: 'base-model:star-r1', checkpoint: join(runDir, 'round-0', 'trainer') });
  const asked = new Set(only.requests.filter((r) => r.path === '/v1/chat/completions').map((r) => r.model));
  expect(asked).toEqual(new Set(['base-model', 'base-model:star-r1']));
}, 120_000);
