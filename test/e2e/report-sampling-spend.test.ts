import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { Problem, problemText } from '../../src/schema/problem.ts';
import { readJsonl } from '../../src/store/jsonl.ts';
import { startOpenAIServer, type OpenAITestServer } from '../helpers/openai-server.ts';
import { demoConfig, fixture, runCli, tempDir, writeConfig } from './cli.ts';

let server: OpenAITestServer;

beforeAll(async () => {
  const problems = [...(await readJsonl(fixture('train.jsonl'), Problem)), ...(await readJsonl(fixture('eval.jsonl'), Problem))];
  server = await startOpenAIServer({ models: ['base-model'], answers: Object.fromEntries(problems.map((p) => [problemText(p), p.answer!])) });
});
afterAll(() => server.close());

test('starloop report shows what an adaptive strategy spent per problem', async () => {
  const dir = await tempDir();
  const config = await writeConfig(dir, demoConfig(server.url));
  const runDir = join(dir, 'run');
  const run = await runCli(['run', '-c', config, '--out', runDir, '--rounds', '1', '--quiet', '--set', 'sampling.strategy=uniform', '--set', 'sampling.correct=1', '--set', 'sampling.maxK=6', '--set', 'sampling.k=1']);
  expect(run.code, run.stderr).toBe(0);
  const report = await runCli(['report', runDir]);
  expect(report.code, report.stderr).toBe(0);
  const lines = report.stdout.split('\n');
  const at = lines.indexOf('train samples spent per problem');
  expect(at, report.stdout).toBeGreaterThan(0);
  const [round, strategy, samples, min, , , max, distribution] = lines[at + 3].trim().split(/\s{2,}/);
  expect([round, strategy]).toEqual(['0', 'uniform (c=1, maxK=6)']);
  // Uneven by design: a solved problem stops at its first correct sample, an unsolved one goes to maxK.
  expect(Number(min)).toBeLessThan(Number(max));
  expect(Number(max)).toBeLessThanOrEqual(6);
  expect(Number(samples)).toBeGreaterThan(0);
  // Problems by correct samples: with c=1 none has more than one.
  expect(distribution).toMatch(/^0:\d+ 1:\d+$/);
});
