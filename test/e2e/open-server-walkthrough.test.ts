import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { Problem, problemText } from '../../src/schema/problem.ts';
import { readJsonl } from '../../src/store/jsonl.ts';
import { startOpenAIServer, type OpenAITestServer } from '../helpers/openai-server.ts';
import { repoRoot, runCli, tempDir } from './cli.ts';
import { readmeBlock } from './readme-blocks.ts';

// The README's "vLLM, SGLang, Ollama, llama.cpp" walkthrough, as a user types it, with the
// scripted test server in vLLM's place: it serves chat completions and `ft:base-model`, and its
// fine-tuning API is never called.
let server: OpenAITestServer;

beforeAll(async () => {
  const problems = [
    ...(await readJsonl(join(repoRoot, 'problems/gsm-mini/train.jsonl'), Problem)),
    ...(await readJsonl(join(repoRoot, 'problems/gsm-mini/eval.jsonl'), Problem)),
  ];
  server = await startOpenAIServer({ models: ['base-model', 'ft:base-model'], answers: Object.fromEntries(problems.map((p) => [problemText(p), p.answer!])) });
});
afterAll(() => server.close());

/** A project directory holding the README's open-server.yaml (pointed at the test server), train.sh and the problems. */
async function project(train?: unknown): Promise<string> {
  const dir = await tempDir();
  const config = parse(readmeBlock('yaml', 'name: open-server')) as Record<string, unknown>;
  expect((config.policy as { baseURL: string }).baseURL).toBe('http://127.0.0.1:8000/v1');
  const edited = { ...config, policy: { ...(config.policy as object), baseURL: server.url }, ...(train ? { train } : {}) };
  await writeFile(join(dir, 'open-server.yaml'), stringify(edited));
  await writeFile(join(dir, 'train.sh'), readmeBlock('sh', '{"model": "ft:base-model"}'));
  await cp(join(repoRoot, 'problems/gsm-mini'), join(dir, 'problems/gsm-mini'), { recursive: true });
  return dir;
}

test('npx starloop run -c open-server.yaml: samples, runs train.sh from the start directory, samples the model it names', async () => {
  const dir = await project();
  const result = await runCli(['run', '-c', 'open-server.yaml'], { cwd: dir });
  expect(result.code, result.stderr).toBe(0);
  // `sh train.sh` is relative: it is found only when the command runs where starloop started.
  expect(result.stderr).toMatch(/round 0 · policy base-model[\s\S]*train +→ ft:base-model[\s\S]*round 1 · policy ft:base-model/);
  const sampled = new Set(server.requests.filter((r) => r.path.endsWith('/chat/completions')).map((r) => r.model));
  expect(sampled).toEqual(new Set(['base-model', 'ft:base-model']));
  expect(server.requests.some((r) => r.path.includes('fine_tuning') || r.path.includes('/files'))).toBe(false);
});

test('with train: { type: none } the run writes round 0 and export prints it', async () => {
  const dir = await project({ type: 'none' });
  const run = await runCli(['run', '-c', 'open-server.yaml'], { cwd: dir });
  expect(run.code, run.stderr).toBe(0);
  const exported = await runCli(['export', 'runs/open-server', '--round', '0'], { cwd: dir });
  expect(exported.code, exported.stderr).toBe(0);
  expect(exported.stdout).toBe(await readFile(join(dir, 'runs/open-server/round-0/dataset.jsonl'), 'utf8'));
  expect(exported.stdout.length).toBeGreaterThan(0);
});
