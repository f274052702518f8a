import { z } from 'zod';
import { formatIssues } from '../schema/format-issues.ts';
import { percent, points } from '../util/format.ts';
import { ReportError } from './report-error.ts';
import { bootstrapMeanInterval, mean, wilsonInterval } from '../metrics/intervals.ts';
import { permutationTestP, signTestP } from '../metrics/paired-tests.ts';
import { formatTextTable, type TextColumn } from './text-table.ts';

const fraction = z.number().min(0).max(1);
const count = z.number().int().nonnegative();

/** One side of a comparison: a round of a run, with each eval problem's fraction of correct samples. */
export const ComparisonEntry = z.object({
  label: z.string().min(1),
  problems: z.record(z.string(), fraction),
});
export type ComparisonEntry = z.infer<typeof ComparisonEntry>;

export const CompareOptions = z
  .object({
    /** Compare every entry with the first (`first`) or with the one before it (`previous`). */
    baseline: z.enum(['first', 'previous']).default('first'),
    confidence: z.number().gt(0.5).lt(1).default(0.95),
    resamples: z.number().int().min(100).max(1_000_000).default(10_000),
    seed: z.number().int().default(0),
  })
  .strict();
export type CompareOptions = z.input<typeof CompareOptions>;

export const EntrySummary = z.object({
  label: z.string(),
  problems: count,
  passAt1: fraction,
  low: fraction,
  high: fraction,
  /** Wilson when every problem is solved or not (one sample each); bootstrap over problems otherwise. */
  method: z.enum(['wilson', 'bootstrap']),
});
export type EntrySummary = z.infer<typeof EntrySummary>;

export const PairedComparison = z.object({
  baseline: z.string(),
  candidate: z.string(),
  /** Problems both entries have; the paired statistics use only these. */
  sharedProblems: count,
  baselinePassAt1: fraction,
  candidatePassAt1: fraction,
  /** Mean over shared problems of candidate minus baseline. */
  meanDifference: z.number().min(-1).max(1),
  /** Paired bootstrap interval of the mean difference. */
  low: z.number().min(-1).max(1),
  high: z.number().min(-1).max(1),
  improved: count,
  worsened: count,
  unchanged: count,
  /** Exact two-sided sign test on improved vs worsened problems (counts only). */
  signTestP: fraction,
  /** Two-sided paired sign-flip permutation test on the differences (uses their size too). */
  permutationP: fraction,
  /**
   * `gain` or `loss` when the interval excludes 0 and the permutation test agrees at the same
   * level; else `noise`. The bootstrap alone is too sure of itself on a handful of problems.
   */
  verdict: z.enum(['gain', 'loss', 'noise']),
});
export type PairedComparison = z.infer<typeof PairedComparison>;

export const ComparisonResult = z.object({
  confidence: fraction,
  resamples: count,
  seed: z.number().int(),
  entries: z.array(EntrySummary),
  pairs: z.array(PairedComparison),
});
export type ComparisonResult = z.infer<typeof ComparisonResult>;

function summarizeEntry(entry: ComparisonEntry, options: z.output<typeof CompareOptions>): EntrySummary {
  const values = Object.values(entry.problems);
  const passAt1 = mean(values);
  const binary = values.every((v) => v === 0 || v === 1);
  const interval = binary
    ? wilsonInterval(values.filter((v) => v === 1).length, values.length, options.confidence)
    : bootstrapMeanInterval(values, options);
  return { label: entry.label, problems: values.length, passAt1, ...interval, method: binary ? 'wilson' : 'bootstrap' };
}

function comparePair(baseline: ComparisonEntry, candidate: ComparisonEntry, options: z.output<typeof CompareOptions>): PairedComparison {
  const shared = Object.keys(baseline.problems).filter((id) => id in candidate.problems);
  if (shared.length === 0) {
    throw new ReportError(`"${baseline.label}" and "${candidate.label}" share no eval problems; compare rounds or runs evaluated on the same problem set`);
  }
  const differences = shared.map((id) => candidate.problems[id] - baseline.problems[id]);
  const improved = differences.filter((d) => d > 0).length;
  const worsened = differences.filter((d) => d < 0).length;
  const { low, high } = bootstrapMeanInterval(differences, options);
  const permutationP = permutationTestP(differences, options);
  const significant = permutationP < 1 - options.confidence;
  return {
    baseline: baseline.label,
    candidate: candidate.label,
    sharedProblems: shared.length,
    baselinePassAt1: mean(shared.map((id) => baseline.problems[id])),
    candidatePassAt1: mean(shared.map((id) => candidate.problems[id])),
    meanDifference: mean(differences),
    low,
    high,
    improved,
    worsened,
    unchanged: shared.length - improved - worsened,
    signTestP: signTestP(improved, worsened),
    permutationP,
    verdict: significant && low > 0 ? 'gain' : significant && high < 0 ? 'loss' : 'noise',
  };
}

/**
 * Puts rounds or runs side by side on eval pass@1: an interval per entry, and a paired comparison of
 * each entry with its baseline on the problems both were evaluated on. Pairing removes the spread
 * between easy and hard problems, which is what makes a few points of gain detectable at all.
 */
export function compareRuns(entries: readonly ComparisonEntry[], options: CompareOptions = {}): ComparisonResult {
  const parsedEntries = z.array(ComparisonEntry).min(1, 'give at least one round or run to compare').safeParse(entries);
  if (!parsedEntries.success) throw new ReportError(`cannot compare: ${formatIssues(parsedEntries.error, 'entries')}`);
  const parsedOptions = CompareOptions.safeParse(options);
  if (!parsedOptions.success) throw new ReportError(`bad compare options: ${formatIssues(parsedOptions.error)}`);
  const settings = parsedOptions.data;
  const list = parsedEntries.data;
  const labels = list.map((e) => e.label);
  const repeated = labels.find((label, i) => labels.indexOf(label) !== i);
  if (repeated !== undefined) throw new ReportError(`two entries are both labelled "${repeated}"; give each round or run its own label`);
  for (const entry of list) {
    if (Object.keys(entry.problems).length === 0) throw new ReportError(`"${entry.label}" has no evaluated problems`);
  }
  const pairs = list.slice(1).map((candidate, i) => comparePair(settings.baseline === 'first' ? list[0] : list[i], candidate, settings));
  return {
    confidence: settings.confidence,
    resamples: settings.resamples,
    seed: settings.seed,
    entries: list.map((entry) => summarizeEntry(entry, settings)),
    pairs,
  };
}

export const pValue = (p: number) => (p < 0.001 ? '<0.001' : p.toFixed(3));

export const VERDICT_RULE = 'a difference is real when its interval excludes 0 and the permutation test agrees.';

export const VERDICT_TEXT: Record<PairedComparison['verdict'], string> = {
  gain: 'real gain',
  loss: 'real loss',
  noise: 'within noise',
};

/** Two tables: each entry with its interval, then each paired comparison with its verdict. */
export function formatComparison(result: ComparisonResult): string {
  const level = `${Math.round(result.confidence * 100)}% CI`;
  const right = (header: string): TextColumn => ({ header, align: 'right' });
  const entryTable = formatTextTable(
    [{ header: 'entry' }, right('problems'), right('eval pass@1'), right(level), { header: 'interval' }],
    result.entries.map((e) => [e.label, String(e.problems), percent(e.passAt1), `[${percent(e.low)}, ${percent(e.high)}]`, e.method]),
  );
  if (result.pairs.length === 0) return entryTable;
  const pairTable = formatTextTable(
    [{ header: 'entry' }, { header: 'vs' }, right('shared'), right('difference'), right(`${level} (paired bootstrap)`), right('improved'), right('worsened'), right('same'), right('sign test p'), right('permutation p'), { header: 'verdict' }],
    result.pairs.map((p) => [
      p.candidate,
      p.baseline,
      String(p.sharedProblems),
      points(p.meanDifference),
      `[${points(p.low)}, ${points(p.high)}]`,
      String(p.improved),
      String(p.worsened),
      String(p.unchanged),
      pValue(p.signTestP),
      pValue(p.permutationP),
      VERDICT_TEXT[p.verdict],
    ]),
  );
  const note = `${result.resamples} bootstrap resamples, seed ${result.seed}; ${VERDICT_RULE}`;
  return `${entryTable}\n\n${pairTable}\n${note}`;
}
