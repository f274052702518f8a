import type { VerdictRecord } from '../schema/verdict.ts';
import type { AnswerGroup, Ballot } from './majority.ts';

/** What a verdict contributes to its problem's counts. */
export type TalliedVerdict = Pick<VerdictRecord, 'problemId' | 'status' | 'hinted'> & { extracted?: string };

/**
 * One problem's counts, kept small: a round holds one per problem (100,000 problems are 100,000 of
 * these). `ballot` is flat, three slots per distinct extracted answer: the answer, its votes, and
 * 1 when some verdict with it was correct; a problem has few distinct answers, so a linear search
 * costs less than a Map and its entry objects would hold.
 */
interface Counts {
  n: number;
  c: number;
  errors: number;
  unparseable: number;
  silent: number;
  ballot: Array<string | number>;
}

/** A problem's samples, correct ones, and those that decided nothing (`error`, `unparseable`). */
export interface ProblemCounts {
  n: number;
  c: number;
  errors: number;
  unparseable: number;
}

/**
 * Per-problem counts of plain verdicts, added one at a time: samples, correct ones, errors and
 * unparseable ones, and the ballot
 * of extracted answers (for maj@k). What a round holds in memory instead of its verdicts, so its
 * size grows with the problems and their distinct answers, not with the samples. Hinted verdicts
 * (rationalization, gold answer in the prompt) say nothing about the policy on its own and are
 * left out. Each verdict must be added once (callers skip repeats of a sample).
 */
export class VerdictTally {
  readonly #byProblem = new Map<string, Counts>();

  add(verdict: TalliedVerdict): void {
    if (verdict.hinted) return;
    let counts = this.#byProblem.get(verdict.problemId);
    if (!counts) {
      counts = { n: 0, c: 0, errors: 0, unparseable: 0, silent: 0, ballot: [] };
      this.#byProblem.set(verdict.problemId, counts);
    }
    counts.n++;
    const correct = verdict.status === 'correct';
    if (correct) counts.c++;
    else if (verdict.status === 'error') counts.errors++;
    else if (verdict.status === 'unparseable') counts.unparseable++;
    if (verdict.extracted === undefined) {
      counts.silent++;
      return;
    }
    const { ballot } = counts;
    for (let at = 0; at < ballot.length; at += 3) {
      if (ballot[at] === verdict.extracted) {
        (ballot[at + 1] as number)++;
        if (correct) ballot[at + 2] = 1;
        return;
      }
    }
    ballot.push(verdict.extracted, 1, correct ? 1 : 0);
  }

  /** One problem's counts (all 0 when it has no samples). */
  counts(problemId: string): ProblemCounts {
    const counts = this.#byProblem.get(problemId);
    return { n: counts?.n ?? 0, c: counts?.c ?? 0, errors: counts?.errors ?? 0, unparseable: counts?.unparseable ?? 0 };
  }

  ballot(problemId: string): Ballot {
    const counts = this.#byProblem.get(problemId);
    const groups: AnswerGroup[] = [];
    const ballot = counts?.ballot ?? [];
    for (let at = 0; at < ballot.length; at += 3) groups.push({ answer: ballot[at] as string, votes: ballot[at + 1] as number, correct: ballot[at + 2] === 1 });
    return { groups, silent: counts?.silent ?? 0 };
  }
}

export function tallyOf(verdicts: Iterable<TalliedVerdict>): VerdictTally {
  const tally = new VerdictTally();
  for (const verdict of verdicts) tally.add(verdict);
  return tally;
}
