import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { loadConfig, parseSetOptions } from '../../src/config/load.ts';
import { ConfigError } from '../../src/errors.ts';
import { tempDir } from '../e2e/cli.ts';

const example = `name: gsm-demo
problems: { train: problems/gsm-mini/train.jsonl, eval: problems/gsm-mini/eval.jsonl }
verifier: numeric
policy: { type: openai, baseURL: http://127.0.0.1:8000/v1, model: base-model, apiKeyEnv: OPENAI_API_KEY, mode: chat }
sampling: { k: 8, temperature: 0.8, maxTokens: 512, concurrency: 32 }
prompt: { system: "Solve the problem. End with: The answer is N.", template: "{{problem}}" }
rationalize: { enabled: true, hintTemplate: "{{problem}}\\n(Hint: the answer is {{answer}}.)" }
select: { maxPerProblem: 4, dedupe: normalized }
train: { type: openai, base: base-model, restartFromBase: true }
eval: { k: 4, temperature: 0.8 }
rounds: 3
`;

test("the issue's example config parses verbatim, with relative paths made absolute", async () => {
  const path = join(await tempDir(), 'gsm.yaml');
  await writeFile(path, example);
  const { config } = await loadConfig(path);
  expect(config.sampling).toMatchObject({ k: 8, temperature: 0.8, maxTokens: 512, concurrency: 32 });
  expect(config.rationalize.hintTemplate).toBe('{{problem}}\n(Hint: the answer is {{answer}}.)');
  expect(config.problems.train).toBe(join(process.cwd(), 'problems/gsm-mini/train.jsonl'));
  expect(config.train).toMatchObject({ type: 'openai', base: 'base-model', restartFromBase: true });
});

test('command-line overrides win over the file', async () => {
  const path = join(await tempDir(), 'gsm.json');
  await writeFile(path, JSON.stringify({ problems: { train: 't.jsonl' }, sampling: { k: 8 } }));
  const { config } = await loadConfig(path, { ...parseSetOptions(['sampling.k=16', 'select.dedupe=exact']), rounds: 5 });
  expect(config.sampling.k).toBe(16);
  expect(config.select.dedupe).toBe('exact');
  expect(config.rounds).toBe(5);
});

test('errors name the file and every bad key', async () => {
  const path = join(await tempDir(), 'bad.yaml');
  await writeFile(path, 'problems: { train: t.jsonl }\nsampling: { k: 0, temperature: hot }\npolicy: { type: openai, model: m }\n');
  const error = await loadConfig(path).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ConfigError);
  const message = (error as Error).message;
  expect(message).toContain(path);
  expect(message).toMatch(/sampling\.k/);
  expect(message).toMatch(/sampling\.temperature/);
  expect(message).toMatch(/baseURL or policy\.endpoints/);
});

test('a YAML syntax error and a missing file are ConfigErrors naming the path', async () => {
  const path = join(await tempDir(), 'broken.yaml');
  await writeFile(path, 'problems: [unclosed\n');
  await expect(loadConfig(path)).rejects.toThrow(path);
  await expect(loadConfig('/nonexistent/x.yaml')).rejects.toThrow(/not found: \/nonexistent\/x.yaml/);
});
