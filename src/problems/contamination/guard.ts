import { z } from 'zod';
import { ConfigError } from '../../errors.ts';
import { formatIssues } from '../../schema/format-issues.ts';
import { type Problem, problemText } from '../../schema/problem.ts';
import type { DatasetLine } from '../../schema/dataset.ts';
import { NgramIndex } from './ngram-index.ts';

/**
 * How near a text must be to an eval problem to count as a copy of it. The measure is n-gram
 * containment in the eval problem's direction: the fraction of the eval problem's tokens that lie
 * inside some n-gram the checked text also has (the token-level form of Llama 2's contamination
 * score, Touvron et al. 2023, app. A.6). Published decontamination uses 13-grams (GPT-3, Brown
 * et al. 2020, app. C: any shared 13-gram) or 8-grams (PaLM, Chowdhery et al. 2022, §8: 70% of an
 * example's 8-grams found; GPT-3's rule is `ngram: 13` with the smallest threshold). Word problems
 * are short — a 40-word GSM8K problem has 28 13-grams, and one changed word breaks 13 of them — so
 * the default is 8-grams with half the eval problem's tokens covered: a copy with two words
 * changed still covers about three quarters of it. Changes closer together than n escape, and a
 * smaller n catches them at the price of more chance overlap (test/problems/contamination/).
 */
export const ContaminationOptions = z
  .object({
    ngram: z.number().int().min(2).max(64).default(8),
    threshold: z.number().gt(0).max(1).default(0.5),
    /**
     * Eval problems shorter than n are matched as a whole (the checked text must contain all of
     * it, in order); those shorter than this are matched exactly only.
     */
    minTokens: z.number().int().min(1).default(3),
    /**
     * A near duplicate must also use the eval problem's numbers, in the same order (others may come
     * between). A copy with a few words changed keeps them; a problem from the same template with
     * other or swapped numbers is another problem with another answer (the shipped sets are built
     * that way), however many words it shares. `false` flags those too.
     */
    sameNumbers: z.boolean().default(true),
  })
  .strict();
export type ContaminationOptions = z.input<typeof ContaminationOptions>;

export interface ContaminationMatch {
  evalId: string;
  /** `exact`: the same text after normalization; `ngram`: a near duplicate or a text containing it. */
  kind: 'exact' | 'ngram';
  /** Fraction of the eval problem's tokens inside an n-gram the two texts share (1 for exact). */
  score: number;
  /** For `ngram`: the n-gram length used (n, or the eval problem's length when it is shorter). */
  n?: number;
}

export interface ContaminatedItem<K> {
  /** The train problem's id, or the dataset line's number (1-based). */
  key: K;
  /** Every eval problem it copies, best first. */
  matches: ContaminationMatch[];
}

export interface ContaminationReport<K> {
  options: z.output<typeof ContaminationOptions>;
  checked: number;
  contaminated: ContaminatedItem<K>[];
  /** Eval problems too short for n-grams (fewer than `minTokens` tokens): caught only when copied exactly. */
  exactOnly: string[];
}

function indexEval(evalProblems: readonly Problem[], options: ContaminationOptions): { index: NgramIndex; settings: z.output<typeof ContaminationOptions> } {
  const parsed = ContaminationOptions.safeParse(options);
  if (!parsed.success) throw new ConfigError(`bad contamination options: ${formatIssues(parsed.error)}`);
  const settings = parsed.data;
  return { index: new NgramIndex(evalProblems.map(problemText), settings), settings };
}

function report<K>(items: Iterable<[K, string[]]>, evalProblems: readonly Problem[], options: ContaminationOptions): ContaminationReport<K> {
  const { index, settings } = indexEval(evalProblems, options);
  const contaminated: ContaminatedItem<K>[] = [];
  let checked = 0;
  for (const [key, texts] of items) {
    checked++;
    const best = new Map<number, ContaminationMatch>();
    for (const text of texts) {
      for (const m of index.match(text)) {
        const match: ContaminationMatch = { evalId: evalProblems[m.evalIndex].id, kind: m.kind, score: m.score, ...(m.n === undefined ? {} : { n: m.n }) };
        const seen = best.get(m.evalIndex);
        if (!seen || rank(match) > rank(seen)) best.set(m.evalIndex, match);
      }
    }
    if (best.size) contaminated.push({ key, matches: [...best.values()].sort((a, b) => rank(b) - rank(a) || a.evalId.localeCompare(b.evalId)) });
  }
  return { options: settings, checked, contaminated, exactOnly: index.exactOnly().map((i) => evalProblems[i].id) };
}

/** Exact copies outrank near duplicates; near duplicates rank by score. */
const rank = (m: ContaminationMatch) => (m.kind === 'exact' ? 2 : m.score);

/**
 * Train problems that copy an eval problem, whatever their id: the same text after normalization
 * (src/problems/contamination/tokens.ts), or a near duplicate by n-gram containment. Each is
 * listed with every eval problem it copies, why, and how closely.
 */
export function findContaminatedProblems(train: readonly Problem[], evalProblems: readonly Problem[], options: ContaminationOptions = {}): ContaminationReport<string> {
  return report(
    train.map((p): [string, string[]] => [p.id, [problemText(p)]]),
    evalProblems,
    options,
  );
}

/**
 * Fine-tuning set lines whose assistant answers contain an eval problem's text (a model that
 * restates or copies an eval problem in its rationale). Lines are numbered from 1, as in the file.
 */
export function findContaminatedDatasetLines(lines: readonly DatasetLine[], evalProblems: readonly Problem[], options: ContaminationOptions = {}): ContaminationReport<number> {
  return report(
    lines.map((line, i): [number, string[]] => [i + 1, line.messages.filter((m) => m.role === 'assistant').map((m) => m.content)]),
    evalProblems,
    options,
  );
}
