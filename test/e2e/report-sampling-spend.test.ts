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
  const [unknown, ...train] = await readJsonl(fixture('train.jsonl'), Problem);
  const problems = [...train, ...(await readJsonl(fixture('eval.jsonl'), Problem))];
  // The server does not know the first train problem: every sample of it says "I do not know." (unparseable).
  expect(problems.map(problemText)).not.toContain(problemText(unknown));
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
  const [round, strategy, samples, min, , , max, unparseable, errors, distribution] = lines[at + 3].trim().split(/\s{2,}/);
  expect([round, strategy]).toEqual(['0', 'uniform (c=1, maxK=6)']);
  // Uneven by design: a solved problem stops at its first correct sample, an unsolved one goes to maxK.
  expect(Number(min)).toBeLessThan(Number(max));
  expect(Number(max)).toBeLessThanOrEqual(6);
  expect(Number(samples)).toBeGreaterThan(0);
  // Problems by correct samples: with c=1 none has more than one.
  expect(distribution).toMatch(/^0:\d+ 1:\d+$/);
  // Undecided verdicts are counted over every sample drawn, not only the first ones the rates use.
  const verdicts = (await readJsonl(join(runDir, 'round-0', 'verdicts.jsonl'), VerdictRecord)).filter((v) => !v.hinted);
  expect(verdicts).toHaveLength(Number(samples));
  expect([Number(unparseable), Number(errors)]).toEqual([verdicts.filter((v) => v.status === 'unparseable').length, verdicts.filter((v) => v.status === 'error').length]);
  // The unknown problem drew maxK samples, all unparseable, where the rates look at its first one only.
  expect(Number(unparseable)).toBeGreaterThanOrEqual(6);
  const summary = JSON.parse(await readFile(join(runDir, 'round-0', 'summary.json'), 'utf8'));
  expect(summary.train.sampling.measuredOn).toBe(1);
  expect(summary.train.unparseable).toBeLessThan(Number(unparseable));
});
