import { expect, test } from 'vitest';
import { tallyBallot } from '../../src/metrics/majority.ts';
import { tallyOf } from '../../src/metrics/tally.ts';
import type { VerdictRecord } from '../../src/schema/verdict.ts';

test("a round's per-problem tally gives the same counts and ballots as tallying the verdicts themselves", () => {
  let seed = 12345;
  const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
  const statuses = ['correct', 'incorrect', 'unparseable', 'error'] as const;
  const verdicts = Array.from({ length: 4000 }, (_, i) => {
    const status = statuses[random(4)];
    const extracted = status === 'unparseable' || random(10) === 0 ? undefined : String(random(7));
    return { sampleId: `s${i}`, problemId: `p${random(50)}`, index: i, status, hinted: random(8) === 0, ...(extracted === undefined ? {} : { extracted }) };
  }) as unknown as VerdictRecord[];
  const tally = tallyOf(verdicts);
  for (let p = 0; p < 50; p++) {
    const own = verdicts.filter((v) => v.problemId === `p${p}` && !v.hinted);
    const expected = tallyBallot(own);
    const got = tally.ballot(`p${p}`);
    expect(got.silent).toBe(expected.silent);
    expect([...got.groups].sort((a, b) => a.answer.localeCompare(b.answer))).toEqual([...expected.groups].sort((a, b) => a.answer.localeCompare(b.answer)));
    expect(tally.counts(`p${p}`)).toEqual({
      n: own.length,
      c: own.filter((v) => v.status === 'correct').length,
      errors: own.filter((v) => v.status === 'error').length,
      unparseable: own.filter((v) => v.status === 'unparseable').length,
    });
  }
  expect(tally.counts('absent')).toEqual({ n: 0, c: 0, errors: 0, unparseable: 0 });
  expect(tally.ballot('absent')).toEqual({ groups: [], silent: 0 });
});
