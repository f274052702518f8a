import { describe, expect, it } from 'vitest';
import { compareRuns } from '../../src/report/compare.ts';
import { readLastRoundEntry, readRoundEntries } from '../../src/report/compare-inputs.ts';
import { runFixture } from './fixture.ts';

describe('comparison entries from a run directory', () => {
  it('reads each finished round as per-problem correct fractions', async () => {
    const entries = await readRoundEntries(runFixture('tiny'));
    expect(entries.map((e) => e.label)).toEqual(['round 0', 'round 1', 'round 2']);
    expect(entries[0].problems).toEqual({ e1: 0.5, e2: 0, e3: 0.25, e4: 0, e5: 1, e6: 0 });
    const result = compareRuns(entries);
    expect(result.entries[2].passAt1).toBeCloseTo(13 / 24, 12);
    // Round 2 against round 0: e1, e2, e4, e6 up; e3 down (solved, then lost); e5 stays at 4/4.
    expect(result.pairs[1]).toMatchObject({ baseline: 'round 0', candidate: 'round 2', improved: 4, worsened: 1, unchanged: 1 });
  });

  it('names the rounds that have no eval', async () => {
    await expect(readRoundEntries(runFixture('tiny'), [0, 3])).rejects.toThrow('run tiny has no finished eval for round 3 (evaluated: 0, 1, 2)');
  });

  it('labels a run by its name and last evaluated round', async () => {
    expect((await readLastRoundEntry(runFixture('tiny'))).label).toBe('tiny r2');
  });
});
