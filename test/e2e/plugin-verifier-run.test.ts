import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { Problem, problemText } from '../../src/schema/problem.ts';
import { VerdictRecord } from '../../src/schema/verdict.ts';
import { readJsonl } from '../../src/store/jsonl.ts';
import { startOpenAIServer, type OpenAITestServer } from '../helpers/openai-server.ts';
import { demoConfig, fixture, runCli, tempDir, writeConfig } from './cli.ts';

let server: OpenAITestServer;

beforeAll(async () => {
  const problems = [...(await readJsonl(fixture('physics-train.jsonl'), Problem)), ...(await readJsonl(fixture('physics-eval.jsonl'), Problem))];
  server = await startOpenAIServer({ models: ['base-model'], answers: Object.fromEntries(problems.map((p) => [problemText(p), p.answer!])) });
});
afterAll(() => server.close());

test('the README plug-in verifier judges a whole starloop run', async () => {
  const dir = await tempDir();
  const config = await writeConfig(
    dir,
    demoConfig(server.url, {
      problems: { train: fixture('physics-train.jsonl'), eval: fixture('physics-eval.jsonl') },
      verifiers: ['examples/verifiers/physical-quantity.ts'],
      verifier: 'physical-quantity',
      rounds: 1,
    }),
  );
  const runDir = join(dir, 'run');
  const result = await runCli(['run', '-c', config, '--out', runDir, '--quiet']);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const verdicts = await readJsonl(join(runDir, 'round-0', 'verdicts.jsonl'), VerdictRecord);
  expect(verdicts.length).toBeGreaterThan(0);
  expect(new Set(verdicts.map((v) => v.verifier))).toEqual(new Set(['physical-quantity']));
  expect(verdicts.some((v) => v.status === 'correct')).toBe(true);
  const manifest = JSON.parse(await readFile(join(runDir, 'manifest.json'), 'utf8'));
  expect(manifest.verifiers['physical-quantity']).toBe('1.0.0');
});
