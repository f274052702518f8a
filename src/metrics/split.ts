import type { Problem } from '../schema/problem.ts';
import type { SplitMetrics } from '../schema/summary.ts';
import type { VerdictRecord } from '../schema/verdict.ts';
import { clusteredWilsonInterval } from './intervals.ts';
import { majorityAtK } from './majority.ts';
import { passAtCurveKs, passAtK } from './pass-at-k.ts';
import { tallyOf, type VerdictTally } from './tally.ts';

/** The confidence level of the intervals a round summary carries. */
export const SUMMARY_CONFIDENCE = 0.95;

/** One problem's tally of its plain (non-hinted) samples. */
export interface ProblemTally {
  problemId: string;
  n: number;
  c: number;
  errors: number;
  unparseable: number;
  /** maj@k of this problem: the expected correctness of a vote over k of its samples. */
  majority: number;
}

/**
 * Counts each problem's plain samples. Hinted verdicts (rationalization, gold answer in the prompt)
 * are left out: they say nothing about what the policy solves on its own. Verdicts of problems not
 * in `problems` are ignored.
 */
export function tallyProblems(problems: readonly Problem[], verdicts: readonly VerdictRecord[] | VerdictTally, k: number): ProblemTally[] {
  const tally = Array.isArray(verdicts) ? tallyOf(verdicts) : (verdicts as VerdictTally);
  return problems.map((problem) => ({ problemId: problem.id, ...tally.counts(problem.id), majority: majorityAtK(tally.ballot(problem.id), k) }));
}

/**
 * pass@1, the pass@k curve, maj@k and coverage over `problems`, with 95% intervals. A problem with
 * no samples (n = 0) counts as unsolved and stays in every denominator: dropping it would inflate
 * the rates of a run whose sampler failed on the hard problems. Such problems are listed, so a
 * comparison read back from the verdicts can count them the same way.
 */
export function computeSplitMetrics(problems: readonly Problem[], verdicts: readonly VerdictRecord[] | VerdictTally, k: number): SplitMetrics {
  const tallies = tallyProblems(problems, verdicts, k);
  const count = tallies.length;
  const rates = (value: (t: ProblemTally) => number) => tallies.map(value);
  const mean = (values: number[]) => (count === 0 ? 0 : values.reduce((sum, v) => sum + v, 0) / count);
  // As many independent draws of `size` samples as a problem's samples hold (at least one, so an
  // unsampled problem is one observation of failure): the most certainty a rate can claim.
  const trials = (size: (t: ProblemTally) => number) => tallies.reduce((sum, t) => sum + Math.max(1, Math.floor(t.n / size(t))), 0);
  const interval = (values: number[], size: (t: ProblemTally) => number) => clusteredWilsonInterval(values, trials(size), SUMMARY_CONFIDENCE);

  const passAt1 = rates((t) => (t.n === 0 ? 0 : t.c / t.n));
  const passAtKRates = rates((t) => passAtK(t.n, t.c, k));
  const majority = rates((t) => t.majority);
  const coverage = rates((t) => (t.c > 0 ? 1 : 0));
  return {
    problems: count,
    samples: tallies.reduce((sum, t) => sum + t.n, 0),
    correct: tallies.reduce((sum, t) => sum + t.c, 0),
    k,
    passAt1: mean(passAt1),
    passAtK: mean(passAtKRates),
    // The curve reuses the pass@1 and pass@k rates, so its ends equal those fields exactly.
    passAt: Object.fromEntries(passAtCurveKs(k).map((j) => [String(j), mean(j === 1 ? passAt1 : j === k ? passAtKRates : rates((t) => passAtK(t.n, t.c, j)))])),
    majAtK: mean(majority),
    coverage: mean(coverage),
    errors: tallies.reduce((sum, t) => sum + t.errors, 0),
    unparseable: tallies.reduce((sum, t) => sum + t.unparseable, 0),
    intervals: {
      confidence: SUMMARY_CONFIDENCE,
      method: 'clustered-wilson',
      passAt1: interval(passAt1, () => 1),
      passAtK: interval(passAtKRates, () => k),
      majAtK: interval(majority, () => k),
      coverage: interval(coverage, (t) => Math.max(1, t.n)),
    },
    unsampledProblems: tallies.filter((t) => t.n === 0).map((t) => t.problemId),
  };
}

/** Group name for problems without a `meta.group` when others in the same set have one. */
export const UNGROUPED = '(ungrouped)';

/**
 * The split metrics per `meta.group` (e.g. difficulty); undefined when no problem has a group, so
 * it can be assigned straight to the optional `byGroup`. Problems without a group, in a set where
 * others have one, are kept under `(ungrouped)` rather than dropped.
 */
export function computeGroupMetrics(problems: readonly Problem[], verdicts: readonly VerdictRecord[] | VerdictTally, k: number): Record<string, SplitMetrics> | undefined {
  const groups = new Map<string, Problem[]>();
  for (const problem of problems) {
    const group = typeof problem.meta.group === 'string' ? problem.meta.group : UNGROUPED;
    const members = groups.get(group);
    if (members) members.push(problem);
    else groups.set(group, [problem]);
  }
  if (groups.size === 0 || (groups.size === 1 && groups.has(UNGROUPED))) return undefined;
  const tally = Array.isArray(verdicts) ? tallyOf(verdicts) : (verdicts as VerdictTally);
  const byGroup: Record<string, SplitMetrics> = {};
  for (const [group, members] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    byGroup[group] = computeSplitMetrics(members, tally, k);
  }
  return byGroup;
}
