import { z } from 'zod';
import type { VerdictRecord } from '../schema/verdict.ts';

const count = z.number().int().nonnegative();

export const LedgerRound = z.object({ round: count, attempts: count, correct: count });
export type LedgerRound = z.infer<typeof LedgerRound>;

/** One problem's history across rounds (plain samples; hinted ones are counted apart). */
export const LedgerEntry = z.object({
  problemId: z.string(),
  attempts: count,
  correct: count,
  /** One entry per round of the ledger, zeros where the problem was not sampled. */
  rounds: z.array(LedgerRound),
  firstSolvedRound: count.nullable(),
  /** Solved in some round, then sampled in a later round with no correct sample. */
  solvedThenLost: z.boolean(),
  /** Correct samples drawn with the gold answer as a hint (rationalization). */
  rationalized: count,
});
export type LedgerEntry = z.infer<typeof LedgerEntry>;

export const Ledger = z.object({
  rounds: z.array(count),
  problems: z.array(LedgerEntry),
});
export type Ledger = z.infer<typeof Ledger>;

export interface BuildLedgerOptions {
  /** Problems to list even when they have no verdict (so never-sampled ones show up), in this order. */
  problemIds?: readonly string[];
}

/** What a verdict contributes to the ledger. */
export type LedgerVerdict = Pick<VerdictRecord, 'problemId' | 'round' | 'status' | 'hinted'>;

/**
 * Per-problem ledger from verdict records of any number of rounds (one phase). Problems appear in
 * `problemIds` order, then in order of first appearance; rounds ascending.
 */
export function buildLedger(verdicts: readonly LedgerVerdict[], options: BuildLedgerOptions = {}): Ledger {
  const builder = new LedgerBuilder([...new Set(verdicts.map((v) => v.round))], options);
  for (const verdict of verdicts) builder.add(verdict);
  return builder.finish();
}

/**
 * The ledger built one verdict at a time, so a run's verdicts can be streamed from disk instead of
 * held whole (a round of a million samples); it holds one entry per problem. `rounds` are the
 * rounds the ledger has (verdicts of other rounds are not counted).
 */
export class LedgerBuilder {
  readonly #rounds: number[];
  readonly #slot: Map<number, number>;
  readonly #entries = new Map<string, LedgerEntry>();

  constructor(rounds: readonly number[], options: BuildLedgerOptions = {}) {
    this.#rounds = [...rounds].sort((a, b) => a - b);
    this.#slot = new Map(this.#rounds.map((round, i) => [round, i]));
    for (const id of options.problemIds ?? []) this.#entryFor(id);
  }

  add(verdict: LedgerVerdict): void {
    const slot = this.#slot.get(verdict.round);
    if (slot === undefined) return;
    const entry = this.#entryFor(verdict.problemId);
    const correct = verdict.status === 'correct';
    if (verdict.hinted) {
      if (correct) entry.rationalized++;
      return;
    }
    const perRound = entry.rounds[slot];
    perRound.attempts++;
    entry.attempts++;
    if (correct) {
      perRound.correct++;
      entry.correct++;
    }
  }

  finish(): Ledger {
    for (const entry of this.#entries.values()) {
      const sampled = entry.rounds.filter((r) => r.attempts > 0);
      const firstSolved = sampled.findIndex((r) => r.correct > 0);
      entry.firstSolvedRound = firstSolved === -1 ? null : sampled[firstSolved].round;
      entry.solvedThenLost = firstSolved !== -1 && sampled.slice(firstSolved + 1).some((r) => r.correct === 0);
    }
    return { rounds: this.#rounds, problems: [...this.#entries.values()] };
  }

  #entryFor(problemId: string): LedgerEntry {
    let entry = this.#entries.get(problemId);
    if (!entry) {
      entry = {
        problemId,
        attempts: 0,
        correct: 0,
        rounds: this.#rounds.map((round) => ({ round, attempts: 0, correct: 0 })),
        firstSolvedRound: null,
        solvedThenLost: false,
        rationalized: 0,
      };
      this.#entries.set(problemId, entry);
    }
    return entry;
  }
}

export interface LedgerTotals {
  problems: number;
  everSolved: number;
  solvedThenLost: number;
  neverSolved: number;
}

export function ledgerTotals(ledger: Ledger): LedgerTotals {
  const everSolved = ledger.problems.filter((p) => p.firstSolvedRound !== null).length;
  return {
    problems: ledger.problems.length,
    everSolved,
    solvedThenLost: ledger.problems.filter((p) => p.solvedThenLost).length,
    neverSolved: ledger.problems.length - everSolved,
  };
}
