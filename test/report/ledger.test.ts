import { describe, expect, it } from 'vitest';
import { buildLedger, Ledger, ledgerTotals } from '../../src/report/ledger.ts';
import { readAllRunVerdicts } from '../../src/store/run-reader.ts';
import { readRunLedger } from '../../src/report/run-ledger.ts';
import type { VerdictRecord } from '../../src/schema/verdict.ts';
import { runFixture } from './fixture.ts';

const verdict = (problemId: string, round: number, correct: boolean, hinted = false): VerdictRecord => ({
  status: correct ? 'correct' : 'incorrect',
  score: correct ? 1 : 0,
  reason: '',
  durationMs: 1,
  sampleId: `${problemId}-${round}-${Math.random()}`,
  problemId,
  round,
  index: 0,
  hinted,
  verifier: 'numeric',
});

describe('buildLedger', () => {
  it('tracks attempts, per-round correct counts, first solve and solved-then-lost', () => {
    const ledger = buildLedger(
      [
        verdict('a', 0, false),
        verdict('a', 0, true),
        verdict('a', 1, false),
        verdict('b', 1, true),
        verdict('b', 2, true),
        verdict('c', 0, false),
        verdict('c', 0, true, true),
        verdict('a', 2, true),
      ],
      { problemIds: ['c', 'never-sampled'] },
    );
    expect(Ledger.parse(ledger)).toEqual(ledger);
    expect(ledger.rounds).toEqual([0, 1, 2]);
    expect(ledger.problems.map((p) => p.problemId)).toEqual(['c', 'never-sampled', 'a', 'b']);
    const [c, never, a, b] = ledger.problems;
    expect(a).toMatchObject({ attempts: 4, correct: 2, firstSolvedRound: 0, solvedThenLost: true, rationalized: 0 });
    expect(a.rounds).toEqual([
      { round: 0, attempts: 2, correct: 1 },
      { round: 1, attempts: 1, correct: 0 },
      { round: 2, attempts: 1, correct: 1 },
    ]);
    // Not sampled in round 0 is not "lost"; solved in both rounds it was sampled.
    expect(b).toMatchObject({ attempts: 2, correct: 2, firstSolvedRound: 1, solvedThenLost: false });
    // A hinted success is rationalization, not a solve.
    expect(c).toMatchObject({ attempts: 1, correct: 0, firstSolvedRound: null, rationalized: 1 });
    expect(never).toMatchObject({ attempts: 0, firstSolvedRound: null, solvedThenLost: false });
    expect(ledgerTotals(ledger)).toEqual({ problems: 4, everSolved: 2, solvedThenLost: 1, neverSolved: 2 });
  });

  it('finds the problem the fixture run solved and then lost', async () => {
    const ledger = buildLedger(await readAllRunVerdicts(runFixture('tiny'), 'eval'));
    const lost = ledger.problems.filter((p) => p.solvedThenLost).map((p) => p.problemId);
    expect(lost).toEqual(['e3']);
    expect(ledger.problems.find((p) => p.problemId === 'e4')?.firstSolvedRound).toBe(2);
  });

  it('leaves out a round that has not finished unless asked', async () => {
    const attemptsOfE1 = async (includeUnfinished: boolean) =>
      (await readRunLedger(runFixture('tiny'), 'eval', { includeUnfinished })).problems.find((p) => p.problemId === 'e1')?.attempts;
    expect(await attemptsOfE1(false)).toBe(12);
    expect(await attemptsOfE1(true)).toBe(16);
  });
});
