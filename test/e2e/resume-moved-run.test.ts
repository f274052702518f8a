import { appendFile, copyFile, cp, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { RunManifest } from '../../src/schema/manifest.ts';
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

const manifestOf = async (runDir: string) => RunManifest.parse(JSON.parse(await readFile(join(runDir, 'manifest.json'), 'utf8')));

test('a finished run copied with its problem files to another folder resumes there: no stored sample is asked for again', async () => {
  const first = await tempDir();
  for (const name of ['train.jsonl', 'eval.jsonl']) await copyFile(fixture(name), join(first, name));
  // Relative problem paths, run from the folder: the same command in the copy names the copy's files.
  await writeConfig(first, demoConfig(server.url, { problems: { train: 'train.jsonl', eval: 'eval.jsonl' }, rounds: 1 }));
  const ran = await runCli(['run', '-c', 'config.yaml', '--out', 'run', '--quiet'], { cwd: first });
  expect(ran.code, ran.stderr).toBe(0);

  const second = join(await tempDir(), 'moved');
  await cp(first, second, { recursive: true });
  const runDir = join(second, 'run');
  const round0 = await readJsonl(join(runDir, 'round-0', 'samples.jsonl'), Sample);
  const asked = server.requests.length;

  const resumed = await runCli(['run', '-c', 'config.yaml', '--out', 'run', '--resume', '--rounds', '2'], { cwd: second });
  expect(resumed.code, resumed.stderr).toBe(0);
  expect(resumed.stderr).toContain(`problems.train "${join(first, 'train.jsonl')}" → "${join(second, 'train.jsonl')}"`);
  // Round 0 sampled base-model; round 1 samples the model round 0 trained. Nothing of round 0 is asked again.
  const chats = server.requests.slice(asked).filter((r) => r.path.endsWith('/completions'));
  expect(chats.length).toBeGreaterThan(0);
  expect(chats.filter((r) => r.model === 'base-model')).toEqual([]);
  expect(await readJsonl(join(runDir, 'round-0', 'samples.jsonl'), Sample)).toEqual(round0);
  expect((await readJsonl(join(runDir, 'round-1', 'eval.jsonl'), Sample)).length).toBeGreaterThan(0);

  const manifest = await manifestOf(runDir);
  expect(manifest.datasets.train.path).toBe(join(second, 'train.jsonl'));
  expect(manifest.datasets.eval?.path).toBe(join(second, 'eval.jsonl'));
  expect(Object.keys(manifest.changes?.at(-1)?.keys ?? {}).sort()).toEqual(['problems.eval', 'problems.train', 'rounds']);

  // The content is what was computed on: another eval file at the same path is refused.
  await appendFile(join(second, 'eval.jsonl'), `${JSON.stringify({ id: 'extra', prompt: 'What is 1 + 1?', answer: '2' })}\n`);
  const refused = await runCli(['run', '-c', 'config.yaml', '--out', 'run', '--resume', '--rounds', '3', '--quiet'], { cwd: second });
  expect(refused.code).toBe(3);
  expect(refused.stderr).toMatch(/the eval problem file .*eval\.jsonl changed since the run started: its sha256 differs/);
});
