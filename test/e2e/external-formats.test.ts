import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { Problem, problemText } from '../../src/schema/problem.ts';
import { readJsonl } from '../../src/store/jsonl.ts';
import { startOpenAIServer, type OpenAITestServer } from '../helpers/openai-server.ts';
import { demoConfig, fixture, runCli, tempDir, writeConfig } from './cli.ts';

let server: OpenAITestServer;
let train: Problem[];
let evaluation: Problem[];

beforeAll(async () => {
  train = await readJsonl(fixture('train.jsonl'), Problem);
  evaluation = await readJsonl(fixture('eval.jsonl'), Problem);
  server = await startOpenAIServer({ models: ['base-model'], answers: Object.fromEntries([...train, ...evaluation].map((p) => [problemText(p), p.answer!])) });
});
afterAll(() => server.close());

/** The official GSM8K layout: no ids, the gold after `####` at the end of a worked answer. */
const asGsm8k = (problems: Problem[]) => problems.map((p) => JSON.stringify({ question: problemText(p), answer: `Work it out.\n#### ${p.answer}` })).join('\n') + '\n';

test("GSM8K's train and test layout runs as train and eval unchanged, and the first lines say which verifier judges each split", async () => {
  const dir = await tempDir();
  await writeFile(join(dir, 'train.jsonl'), asGsm8k(train));
  await writeFile(join(dir, 'test.jsonl'), asGsm8k(evaluation));
  const raw = demoConfig(server.url, { problems: { train: join(dir, 'train.jsonl'), eval: join(dir, 'test.jsonl') }, rounds: 0, train: { type: 'none' } });
  delete raw.verifier;
  const config = await writeConfig(dir, raw);
  const run = await runCli(['run', '-c', config, '--out', join(dir, 'run')]);
  expect(run.stderr).toContain(`train: ${train.length} gsm8k problems → verifier numeric (the gsm8k default`);
  expect(run.stderr).toContain(`eval: ${evaluation.length} gsm8k problems → verifier numeric (the gsm8k default`);
  expect(run.code).toBe(0);
});
