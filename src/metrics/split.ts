import type { Problem } from '../schema/problem.ts';
import type { SplitMetrics } from '../schema/summary.ts';
import type { VerdictRecord } from '../schema/verdict.ts';
import { majorityVote } from './majority.ts';
import { passAtK } from './pass-at-k.ts';

/** One problem's tally of its plain (non-hinted) samples. */
export interface ProblemTally {
  problemId: string;
  n: number;
  c: number;
  /** The majority extracted answer is one a correct verdict extracted. */
  majorityCorrect: boolean;
}

/**
 * Counts each problem's plain samples. Hinted verdicts (rationalization, gold answer in the prompt)
 * are left out: they say nothing about what the policy solves on its own. Verdicts of problems not
 * in `problems` are ignored.
 */
export function tallyProblems(problems: readonly Problem[], verdicts: readonly VerdictRecord[]): ProblemTally[] {
  const byProblem = new Map<string, VerdictRecord[]>(problems.map((p) => [p.id, []]));
  for (const verdict of verdicts) {
    if (verdict.hinted) continue;
    byProblem.get(verdict.problemId)?.push(verdict);
  }
  return problems.map((problem) => {
    const own = byProblem.get(problem.id) ?? [];
    return {
      problemId: problem.id,
      n: own.length,
      c: own.filter((v) => v.status === 'correct').length,
      majorityCorrect: majorityVote(own)?.correct ?? false,
    };
  });
}

/**
 * pass@1, pass@k, maj@k and coverage over `problems`. A problem with no samples (n = 0) counts as
 * unsolved and stays in every denominator: dropping it would inflate the rates of a run whose
 * sampler failed on the hard problems.
 */
export function computeSplitMetrics(problems: readonly Problem[], verdicts: readonly VerdictRecord[], k: number): SplitMetrics {
  const tallies = tallyProblems(problems, verdicts);
  const count = tallies.length;
  const mean = (value: (t: ProblemTally) => number) => (count === 0 ? 0 : tallies.reduce((sum, t) => sum + value(t), 0) / count);
  return {
    problems: count,
    samples: tallies.reduce((sum, t) => sum + t.n, 0),
    correct: tallies.reduce((sum, t) => sum + t.c, 0),
    k,
    passAt1: mean((t) => (t.n === 0 ? 0 : t.c / t.n)),
    passAtK: mean((t) => passAtK(t.n, t.c, k)),
    majAtK: mean((t) => (t.majorityCorrect ? 1 : 0)),
    coverage: mean((t) => (t.c > 0 ? 1 : 0)),
  };
}

/** Group name for problems without a `meta.group` when others in the same set have one. */
export const UNGROUPED = '(ungrouped)';

/**
 * The split metrics per `meta.group` (e.g. difficulty); undefined when no problem has a group, so
 * it can be assigned straight to the optional `byGroup`. Problems without a group, in a set where
 * others have one, are kept under `(ungrouped)` rather than dropped.
 */
export function computeGroupMetrics(problems: readonly Problem[], verdicts: readonly VerdictRecord[], k: number): Record<string, SplitMetrics> | undefined {
  const groups = new Map<string, Problem[]>();
  for (const problem of problems) {
    const group = typeof problem.meta.group === 'string' ? problem.meta.group : UNGROUPED;
    const members = groups.get(group);
    if (members) members.push(problem);
    else groups.set(group, [problem]);
  }
  if (groups.size === 0 || (groups.size === 1 && groups.has(UNGROUPED))) return undefined;
  const byGroup: Record<string, SplitMetrics> = {};
  for (const [group, members] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    byGroup[group] = computeSplitMetrics(members, verdicts, k);
  }
  return byGroup;
}
