import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { Survivor } from '../../src/schema/dataset.ts';
import { Problem, problemText } from '../../src/schema/problem.ts';
import { Sample } from '../../src/schema/sample.ts';
import { readJsonl } from '../../src/store/jsonl.ts';
import { startOpenAIServer, type OpenAITestServer } from '../helpers/openai-server.ts';
import { demoConfig, fixture, runCli, tempDir, writeConfig } from './cli.ts';

let server: OpenAITestServer;

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

beforeAll(async () => {
  const problems = [...(await readJsonl(fixture('train.jsonl'), Problem)), ...(await readJsonl(fixture('eval.jsonl'), Problem))];
  server = await startOpenAIServer({ models: ['base-model'], answers: Object.fromEntries(problems.map((p) => [problemText(p), p.answer!])) });
});
afterAll(() => server.close());

test('select.filter majority keeps exactly the samples that gave their problem its majority answer (share ≥ 0.5, alone at the top)', async () => {
  const dir = await tempDir();
  const runDir = join(dir, 'run');
  const config = await writeConfig(dir, demoConfig(server.url, {
    rounds: 1, sampling: { k: 8, temperature: 0.8, maxTokens: 128, concurrency: 8 }, rationalize: { enabled: false },
    select: { filter: 'majority', maxPerProblem: 8, dedupe: 'none' },
  }));
  const run = await runCli(['run', '-c', config, '--out', runDir]);
  expect(run.code, run.stderr).toBe(0);

  // The same vote, computed here from the stored samples: the scripted model ends "The answer is N."
  const samples = await readJsonl(join(runDir, 'round-0', 'samples.jsonl'), Sample);
  const byProblem = groupBy(samples.filter((s) => !s.hinted), (s) => s.problemId);
  const expected = new Set<string>();
  let decided = 0;
  for (const own of byProblem.values()) {
    const answerOf = (s: Sample) => s.text.match(/The answer is (-?[\d.]+)\./)?.[1];
    const votes = groupBy(own.filter((s) => answerOf(s) !== undefined), (s) => answerOf(s)!);
    const ranked = [...votes.values()].sort((a, b) => b.length - a.length);
    if (!ranked.length || ranked[1]?.length === ranked[0].length || ranked[0].length / own.length < 0.5) continue;
    decided++;
    for (const s of ranked[0]) expected.add(s.id);
  }
  const survivors = await readJsonl(join(runDir, 'round-0', 'survivors.jsonl'), Survivor);
  expect(decided).toBeGreaterThan(0);
  expect(new Set(survivors.map((s) => s.sampleId))).toEqual(expected);
  expect(run.stderr).toContain(`majority vote (share ≥ 0.5) decided ${decided} of ${byProblem.size} problems, ${expected.size} samples agree`);
});
