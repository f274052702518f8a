import type { VerdictRecord } from '../schema/verdict.ts';

export interface MajorityVote {
  answer: string;
  votes: number;
  /** Some verdict that extracted this answer was judged correct. */
  correct: boolean;
}

/**
 * The most frequent extracted answer among one problem's verdicts. Verdicts are taken in sample
 * order (index), not file order, so a tie goes to the answer the lowest sample index gave, however
 * the concurrent writers interleaved. Verdicts with no extracted answer do not vote.
 */
export function majorityVote(verdicts: readonly VerdictRecord[]): MajorityVote | undefined {
  const ordered = [...verdicts].filter((v) => v.extracted !== undefined).sort((a, b) => a.index - b.index);
  const tally = new Map<string, MajorityVote>();
  for (const verdict of ordered) {
    const answer = verdict.extracted as string;
    const entry = tally.get(answer) ?? { answer, votes: 0, correct: false };
    entry.votes++;
    entry.correct ||= verdict.status === 'correct';
    tally.set(answer, entry);
  }
  let best: MajorityVote | undefined;
  // Map iteration follows first occurrence, so a strict `>` keeps the earliest of tied answers.
  for (const entry of tally.values()) if (!best || entry.votes > best.votes) best = entry;
  return best;
}
