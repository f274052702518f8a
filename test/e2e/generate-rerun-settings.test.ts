import { existsSync } from 'node:fs';
import { copyFile, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { OutputSettings } from '../../src/generate/output-settings.ts';
import { GeneratedProblem } from '../../src/generate/records.ts';
import { loadProblems } from '../../src/problems/load.ts';
import { problemText } from '../../src/schema/problem.ts';
import { readJsonl } from '../../src/store/jsonl.ts';
import { startOpenAIServer, type OpenAITestServer } from '../helpers/openai-server.ts';
import { repoRoot, runCli, tempDir, writeConfig } from './cli.ts';

const seedsFile = join(repoRoot, 'problems/gsm-mini/train.jsonl');
let server: OpenAITestServer;

beforeAll(async () => {
  const answers: Record<string, string> = {};
  for (const seed of await loadProblems(seedsFile)) answers[problemText(seed)] = seed.answer!;
  server = await startOpenAIServer({ models: ['base-model'], writer: true, accuracy: () => 0.6, answers, faults: { delayMs: 2 } });
});
afterAll(() => server?.close());

function genConfig(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'gsm-gen',
    problems: { train: 'grown.jsonl' },
    verifier: 'numeric',
    policy: { type: 'openai', baseURL: server.url, model: 'base-model', apiKeyEnv: 'GEN_TEST_KEY' },
    sampling: { k: 4, temperature: 0.8, maxTokens: 256, concurrency: 16 },
    prompt: { system: 'Solve the problem. End with: The answer is N.', template: '{{problem}}' },
    generate: { prompts: 4, rougeThreshold: 0.7, answer: { method: 'self-consistency', k: 4, minShare: 0.5 } },
    ...overrides,
  };
}

const SECRET = 'sk-generate-settings-never-on-disk';
const env = { ...process.env, GEN_TEST_KEY: SECRET };
const generate = (dir: string, count: number, ...more: string[]) =>
  runCli(['generate', '-c', 'gen.yaml', '--seeds', 'seeds.jsonl', '--count', String(count), '--out', 'grown.jsonl', ...more], { cwd: dir, env });

/** Every file of an output, byte for byte (absent ones as null). */
async function outputFiles(dir: string): Promise<Record<string, string | null>> {
  const names = ['grown.jsonl', 'grown.jsonl.drops.jsonl', 'grown.jsonl.replies.jsonl', 'grown.jsonl.settings.json'];
  return Object.fromEntries(await Promise.all(names.map(async (name) => [name, existsSync(join(dir, name)) ? await readFile(join(dir, name), 'utf8') : null] as const)));
}

async function grownDir(): Promise<string> {
  const dir = await tempDir();
  await writeConfig(dir, genConfig(), 'gen.yaml');
  await copyFile(seedsFile, join(dir, 'seeds.jsonl'));
  const first = await generate(dir, 6);
  expect(first.code, first.stderr).toBe(0);
  return dir;
}

test('the settings that decide what is kept are recorded beside the output (no secret), and a rerun unchanged or with a larger --count continues', async () => {
  const dir = await grownDir();
  const recorded = OutputSettings.parse(JSON.parse(await readFile(join(dir, 'grown.jsonl.settings.json'), 'utf8'))).settings;
  expect(recorded['generate.rougeThreshold']).toBe(0.7);
  expect(recorded['generate.answer.minShare']).toBe(0.5);
  expect(recorded['policy.model']).toBe('base-model');
  expect(recorded['prompt.template']).toBe('{{problem}}');
  expect(recorded['seeds.problems']).toBe((await loadProblems(seedsFile)).length);
  expect(recorded['seeds.sha256']).toMatch(/^[0-9a-f]{64}$/);
  // Where and how the writer is reached is not what decides the problems, and the key never reaches disk.
  expect(Object.keys(recorded).filter((key) => /baseURL|apiKey|concurrency|maxRequests/.test(key))).toEqual([]);
  const settingsText = await readFile(join(dir, 'grown.jsonl.settings.json'), 'utf8');
  expect(settingsText).not.toContain(SECRET);

  const same = await generate(dir, 6);
  expect(same.code, same.stderr).toBe(0);
  expect(same.stdout).toBe('6 problems in grown.jsonl (0 new this run)\n');

  // More problems, with more tries allowed and another concurrency: it continues, and the record is as it was.
  const more = await generate(dir, 10, '--set', 'generate.maxRequests=400', '--set', 'sampling.concurrency=3', '--quiet');
  expect(more.code, more.stderr).toBe(0);
  expect(more.stderr).not.toContain('warning');
  expect(more.stdout).toBe('10 problems in grown.jsonl (4 new this run)\n');
  expect(await readFile(join(dir, 'grown.jsonl.settings.json'), 'utf8')).toBe(settingsText);
}, 120_000);

test('a rerun with another rougeThreshold, writer model or seeds file is refused before anything is sent or written: exit 2, one line naming the change', async () => {
  const dir = await grownDir();
  const before = await outputFiles(dir);
  const sent = server.requests.length;

  const rouge = await generate(dir, 12, '--set', 'generate.rougeThreshold=0.5');
  expect(rouge.code).toBe(2);
  expect(rouge.stderr).toMatch(
    /^starloop: \S+grown\.jsonl was generated with other settings \(generate\.rougeThreshold 0\.7 → 0\.5; recorded in \S+grown\.jsonl\.settings\.json\): restore them, or write to another --out \(a rerun may change --count, generate\.maxRequests, [^\n]*\)\n$/,
  );

  const minShare = await generate(dir, 12, '--set', 'generate.answer.minShare=0.75', '--set', 'policy.model=other-model');
  expect(minShare.code).toBe(2);
  expect(minShare.stderr).toContain('(generate.answer.minShare 0.5 → 0.75; policy.model "base-model" → "other-model"; recorded in ');

  // The same seeds file with one answer changed.
  const seeds = await readFile(join(dir, 'seeds.jsonl'), 'utf8');
  const [line, ...rest] = seeds.split('\n');
  const first = JSON.parse(line) as { answer: string };
  await writeFile(join(dir, 'seeds.jsonl'), [JSON.stringify({ ...first, answer: `${first.answer}1` }), ...rest].join('\n'));
  const edited = await generate(dir, 12);
  expect(edited.code).toBe(2);
  expect(edited.stderr).toMatch(/^starloop: [^\n]*\(seeds\.sha256 "[0-9a-f]{64}" → "[0-9a-f]{64}"; recorded in [^\n]*\n$/);

  expect(await outputFiles(dir)).toEqual(before);
  expect(server.requests.length).toBe(sent);
}, 120_000);

test('an output with nothing stored yet takes the new settings: a first try with a wrong model, then the right one', async () => {
  const dir = await tempDir();
  await writeConfig(dir, genConfig({ policy: { type: 'openai', baseURL: server.url, model: 'no-such-model', maxRetries: 0 } }), 'gen.yaml');
  await copyFile(seedsFile, join(dir, 'seeds.jsonl'));
  const wrong = await generate(dir, 4);
  expect(wrong.code).not.toBe(0);
  expect(OutputSettings.parse(JSON.parse(await readFile(join(dir, 'grown.jsonl.settings.json'), 'utf8'))).settings['policy.model']).toBe('no-such-model');
  expect(await readFile(join(dir, 'grown.jsonl'), 'utf8')).toBe('');

  await writeConfig(dir, genConfig(), 'gen.yaml');
  const right = await generate(dir, 4);
  expect(right.code, right.stderr).toBe(0);
  expect(OutputSettings.parse(JSON.parse(await readFile(join(dir, 'grown.jsonl.settings.json'), 'utf8'))).settings['policy.model']).toBe('base-model');
}, 60_000);

test('an output written before settings were recorded is adopted with a warning on stderr (even with --quiet); a later change is refused', async () => {
  const dir = await grownDir();
  await rm(join(dir, 'grown.jsonl.settings.json'));
  const adopted = await generate(dir, 8, '--quiet');
  expect(adopted.code, adopted.stderr).toBe(0);
  expect(adopted.stderr.split('\n')[0]).toMatch(/^ {2}warning: \S+grown\.jsonl was written by a starloop that did not record its settings: .*recorded now in \S+grown\.jsonl\.settings\.json/);
  expect(await readJsonl(join(dir, 'grown.jsonl'), GeneratedProblem)).toHaveLength(8);
  const changed = await generate(dir, 10, '--set', 'generate.minWords=6');
  expect(changed.code).toBe(2);
  expect(changed.stderr).toContain('generate.minWords 4 → 6');
}, 120_000);

test('a settings file that is not JSON or not settings is an error naming it, and nothing is written', async () => {
  const dir = await grownDir();
  for (const content of ['{"settings": {', '{"rougeThreshold": 0.7}\n']) {
    await writeFile(join(dir, 'grown.jsonl.settings.json'), content);
    const before = await outputFiles(dir);
    const result = await generate(dir, 12);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^starloop: \S+grown\.jsonl\.settings\.json (is not valid JSON|is invalid)/);
    expect(await outputFiles(dir)).toEqual(before);
  }
}, 60_000);
