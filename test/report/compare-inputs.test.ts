import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { computeSplitMetrics } from '../../src/metrics/split.ts';
import { compareRuns } from '../../src/report/compare.ts';
import { readLastRoundEntry, readRoundEntries } from '../../src/report/compare-inputs.ts';
import { readRunReport, readRunVerdicts } from '../../src/store/run-reader.ts';
import type { Problem } from '../../src/schema/problem.ts';
import { runFixture } from './fixture.ts';

const scratch: string[] = [];
afterEach(async () => {
  await Promise.all(scratch.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function copyOfTinyRun(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'starloop-compare-inputs-'));
  scratch.push(dir);
  await cp(runFixture('tiny'), dir, { recursive: true });
  return dir;
}

const evalProblems: Problem[] = ['e1', 'e2', 'e3', 'e4', 'e5', 'e6'].map((id) => ({ id, prompt: id, meta: {} }));

/** Round 2 of a copy of the tiny run where problem e6 got no sample at all, summarized as the pipeline does. */
async function runWithUnsampledProblem(options: { summaryListsIt: boolean }): Promise<string> {
  const dir = await copyOfTinyRun();
  const verdictsPath = join(dir, 'round-2', 'eval-verdicts.jsonl');
  const kept = (await readRunVerdicts(dir, 2, 'eval')).filter((v) => v.problemId !== 'e6');
  await writeFile(verdictsPath, kept.map((v) => JSON.stringify(v) + '\n').join(''));
  const summaryPath = join(dir, 'round-2', 'summary.json');
  const summary = JSON.parse(await readFile(summaryPath, 'utf8'));
  const { unsampledProblems, ...metrics } = computeSplitMetrics(evalProblems, kept, 4);
  summary.eval = { ...summary.eval, ...metrics, ...(options.summaryListsIt ? { unsampledProblems } : {}) };
  await writeFile(summaryPath, JSON.stringify(summary));
  return dir;
}

describe('comparison entries from a run directory', () => {
  it('reads each finished round as per-problem correct fractions', async () => {
    const entries = await readRoundEntries(runFixture('tiny'));
    expect(entries.map((e) => e.label)).toEqual(['round 0', 'round 1', 'round 2']);
    expect(entries[0].problems).toEqual({ e1: 0.5, e2: 0, e3: 0.25, e4: 0, e5: 1, e6: 0 });
    const result = compareRuns(entries);
    expect(result.entries[2].passAt1).toBeCloseTo(13 / 24, 12);
    // Round 2 against round 0: e1, e2, e4, e6 up; e3 down (solved, then lost); e5 stays at 4/4.
    expect(result.pairs[1]).toMatchObject({ baseline: 'round 0', candidate: 'round 2', improved: 4, worsened: 1, unchanged: 1 });
    // Solved (some correct sample) in round 2 but not round 0: e2, e4, e6; the reverse: e3.
    expect(result.pairs[1]).toMatchObject({ gained: ['e2', 'e4', 'e6'], lost: ['e3'] });
    expect(result.warnings).toEqual([]);
  });

  it('agrees with every round summary on pass@1 and its interval', async () => {
    const report = await readRunReport(runFixture('tiny'));
    const result = compareRuns(await readRoundEntries(runFixture('tiny')));
    report.rounds.forEach((round, i) => {
      expect(result.entries[i].passAt1).toBeCloseTo(round.eval!.passAt1, 12);
      if (round.eval!.intervals) expect({ low: result.entries[i].low, high: result.entries[i].high }).toEqual(round.eval!.intervals.passAt1);
    });
  });

  it('counts an eval problem with no verdict as 0, as the round summary does', async () => {
    const dir = await runWithUnsampledProblem({ summaryListsIt: true });
    const summary = (await readRunReport(dir)).rounds[2].eval!;
    expect(summary.unsampledProblems).toEqual(['e6']);
    const entries = await readRoundEntries(dir);
    expect(entries[2].problems.e6).toBe(0);
    const result = compareRuns(entries);
    expect(result.entries[2].problems).toBe(6);
    expect(result.entries[2].passAt1).toBeCloseTo(summary.passAt1, 12);
    expect({ low: result.entries[2].low, high: result.entries[2].high }).toEqual(summary.intervals!.passAt1);
    // e6 was unsolved in round 0 too: no flip, but it is still a shared problem.
    expect(result.pairs[1]).toMatchObject({ sharedProblems: 6, gained: ['e2', 'e4'], lost: ['e3'] });
    expect(result.warnings).toEqual([]);
  });

  it('says so when an older summary cannot name the problems it counted as 0', async () => {
    const dir = await runWithUnsampledProblem({ summaryListsIt: false });
    const result = compareRuns(await readRoundEntries(dir));
    expect(result.entries[2].problems).toBe(5);
    expect(result.warnings).toEqual([expect.stringMatching(/^round 2: the round summary counts 6 eval problems .* but 1 of them have no verdict .* left out here$/)]);
  });

  it('counts only the first k samples of each problem, as the round summary does', async () => {
    const dir = await copyOfTinyRun();
    const extra = { status: 'correct', score: 1, reason: 'matches gold', extracted: '10', durationMs: 1, sampleId: 'r1-e4-9', problemId: 'e4', round: 1, index: 9, hinted: false, verifier: 'numeric' };
    await writeFile(join(dir, 'round-1', 'eval-verdicts.jsonl'), JSON.stringify(extra) + '\n', { flag: 'a' });
    const [, round1] = await readRoundEntries(dir);
    expect(round1.problems.e4).toBe(0);
  });

  it('names the rounds that have no eval', async () => {
    await expect(readRoundEntries(runFixture('tiny'), [0, 3])).rejects.toThrow('run tiny has no finished eval for round 3 (evaluated: 0, 1, 2)');
  });

  it('labels a run by its name and last evaluated round', async () => {
    expect((await readLastRoundEntry(runFixture('tiny'))).label).toBe('tiny r2');
  });
});
