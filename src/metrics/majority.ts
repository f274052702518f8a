import type { VerdictRecord } from '../schema/verdict.ts';

/** The samples of one problem that extracted the same answer. */
export interface AnswerGroup {
  answer: string;
  votes: number;
  /** Some verdict that extracted this answer was judged correct. */
  correct: boolean;
}

/** One problem's votes: a group per distinct extracted answer, plus the samples that extracted none. */
export interface Ballot {
  groups: AnswerGroup[];
  /** Samples with no extracted answer: they are drawn like any other but cast no vote. */
  silent: number;
}

export function tallyBallot(verdicts: readonly VerdictRecord[]): Ballot {
  const groups = new Map<string, AnswerGroup>();
  let silent = 0;
  for (const verdict of verdicts) {
    if (verdict.extracted === undefined) {
      silent++;
      continue;
    }
    const group = groups.get(verdict.extracted) ?? { answer: verdict.extracted, votes: 0, correct: false };
    group.votes++;
    group.correct ||= verdict.status === 'correct';
    groups.set(verdict.extracted, group);
  }
  return { groups: [...groups.values()], silent };
}

/** log C(a, b) from a table of log factorials, so large sample counts never overflow. */
function logChooser(size: number): (a: number, b: number) => number {
  const logFactorial = new Float64Array(size + 1);
  for (let i = 2; i <= size; i++) logFactorial[i] = logFactorial[i - 1] + Math.log(i);
  return (a, b) => (b < 0 || b > a ? -Infinity : logFactorial[a] - logFactorial[b] - logFactorial[a - b]);
}

/** With every sample drawn: the share of the most-voted answers that are correct (0 when nobody voted). */
function majorityOfAll(groups: readonly AnswerGroup[]): number {
  const top = Math.max(0, ...groups.map((g) => g.votes));
  if (top === 0) return 0;
  const winners = groups.filter((g) => g.votes === top);
  return winners.filter((g) => g.correct).length / winners.length;
}

/**
 * maj@k of one problem: the expected correctness of a majority vote over k of its n samples, drawn
 * uniformly without replacement, averaged over all C(n, k) subsets — the unbiased estimate of what
 * a run drawing exactly k samples would score, in the way pass@k's estimator is (Chen et al. 2021).
 * It uses every sample rather than an arbitrary first k, so it has the smaller variance and does not
 * depend on sample order. A tie between answers is a coin flip: each tied answer wins with equal
 * chance, so a tie between a right and a wrong answer counts ½. Samples without an extracted answer
 * take a draw but cast no vote; a subset with no vote at all scores 0. k ≥ n votes over all samples.
 *
 * Exact, by dynamic programming over the answer groups: for each correct answer a and its vote
 * count t in the subset, the other groups are drawn one at a time by their conditional
 * hypergeometric probabilities, each limited to at most t votes, tracking how many tie a at t.
 */
export function majorityAtK(ballot: Ballot, k: number): number {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`majorityAtK needs a whole k >= 1, got ${k}`);
  const { groups, silent } = ballot;
  const n = silent + groups.reduce((sum, g) => sum + g.votes, 0);
  if (n === 0) return 0;
  if (k >= n) return majorityOfAll(groups);
  const logChoose = logChooser(n);
  let expected = 0;
  groups.forEach((target, targetIndex) => {
    if (!target.correct) return;
    const others = groups.filter((_, i) => i !== targetIndex);
    for (let t = 1; t <= Math.min(target.votes, k); t++) {
      const logTarget = logChoose(target.votes, t) + logChoose(n - target.votes, k - t) - logChoose(n, k);
      if (logTarget === -Infinity) continue;
      expected += Math.exp(logTarget) * othersBelow(others, silent, n - target.votes, k - t, t, logChoose);
    }
  });
  return Math.min(1, expected);
}

/**
 * Given that `picks` of the remaining `pool` samples are drawn uniformly, the expected value of
 * 1 / (1 + number of groups with exactly `t` votes), counting only draws where no group has more
 * than `t` votes (the target answer wins outright or shares the lead).
 */
function othersBelow(others: readonly AnswerGroup[], silent: number, pool: number, picks: number, t: number, logChoose: (a: number, b: number) => number): number {
  const maxTies = Math.min(others.length, Math.floor(picks / t));
  // state[drawn * width + ties]: probability of having drawn `drawn` samples with `ties` groups at t.
  const width = maxTies + 1;
  let state = new Float64Array((picks + 1) * width);
  state[0] = 1;
  let remaining = pool;
  for (const group of others) {
    const next = new Float64Array(state.length);
    for (let drawn = 0; drawn <= picks; drawn++) {
      const left = picks - drawn;
      const logAll = logChoose(remaining, left);
      for (let ties = 0; ties < width; ties++) {
        const p = state[drawn * width + ties];
        if (p === 0) continue;
        for (let x = 0; x <= Math.min(group.votes, t, left); x++) {
          const logWays = logChoose(group.votes, x) + logChoose(remaining - group.votes, left - x) - logAll;
          if (logWays === -Infinity) continue;
          const tied = ties + (x === t ? 1 : 0);
          if (tied >= width) continue;
          next[(drawn + x) * width + tied] += p * Math.exp(logWays);
        }
      }
    }
    state = next;
    remaining -= group.votes;
  }
  // What is left of the draw comes from the silent samples; it must fit in them.
  let value = 0;
  for (let drawn = 0; drawn <= picks; drawn++) {
    if (picks - drawn > silent) continue;
    for (let ties = 0; ties < width; ties++) value += state[drawn * width + ties] / (1 + ties);
  }
  return value;
}
