import { z } from 'zod';
import { formatIssues } from '../schema/format-issues.ts';
import { ReportError } from './report-error.ts';
import { bootstrapMeanInterval, clusteredWilsonInterval, mean } from '../metrics/intervals.ts';
import { mcnemarExactP, permutationTestP, signTestP } from '../metrics/paired-tests.ts';

const fraction = z.number().min(0).max(1);
const count = z.number().int().nonnegative();

/**
 * One side of a comparison: a round of a run, with each eval problem's fraction of correct samples
 * (0 for a problem with no sample, as in the round summary).
 */
export const ComparisonEntry = z.object({
  label: z.string().min(1),
  problems: z.record(z.string(), fraction),
  /**
   * Independent draws behind the rates (samples, at least one per problem): the most certainty the
   * interval may claim. Without it, one draw per problem.
   */
  draws: count.optional(),
  /** Something the reader of the comparison must know about this entry (e.g. problems left out). */
  warning: z.string().optional(),
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
  /**
   * `wilson` when every problem scored 0 or 1 (e.g. one sample each); `clustered-wilson` otherwise:
   * Wilson at the effective number of trials, samples clustered by problem (src/metrics/intervals.ts).
   */
  method: z.enum(['wilson', 'clustered-wilson']),
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
  /**
   * Problems that flipped, by solved = at least one correct sample (as in the ledger and coverage):
   * `gained` were unsolved in the baseline and are solved in the candidate, `lost` the reverse.
   */
  gained: z.array(z.string()),
  lost: z.array(z.string()),
  /** Exact two-sided sign test on improved vs worsened problems (counts only). */
  signTestP: fraction,
  /** McNemar's exact test on the solved/unsolved flips (`gained` vs `lost`). */
  mcnemarP: fraction,
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
  /** The entries' warnings, each prefixed with its label. */
  warnings: z.array(z.string()),
});
export type ComparisonResult = z.infer<typeof ComparisonResult>;

function summarizeEntry(entry: ComparisonEntry, options: z.output<typeof CompareOptions>): EntrySummary {
  const values = Object.values(entry.problems);
  const binary = values.every((v) => v === 0 || v === 1);
  // The same interval as the round summary's, so `report` and `compare` agree on a round.
  const interval = clusteredWilsonInterval(values, Math.max(values.length, entry.draws ?? 0), options.confidence);
  return { label: entry.label, problems: values.length, passAt1: mean(values), ...interval, method: binary ? 'wilson' : 'clustered-wilson' };
}

function comparePair(baseline: ComparisonEntry, candidate: ComparisonEntry, options: z.output<typeof CompareOptions>): PairedComparison {
  const shared = Object.keys(baseline.problems).filter((id) => Object.hasOwn(candidate.problems, id));
  if (shared.length === 0) {
    throw new ReportError(`"${baseline.label}" and "${candidate.label}" share no eval problems; compare rounds or runs evaluated on the same problem set`);
  }
  const differences = shared.map((id) => candidate.problems[id] - baseline.problems[id]);
  const gained = shared.filter((id) => baseline.problems[id] === 0 && candidate.problems[id] > 0);
  const lost = shared.filter((id) => baseline.problems[id] > 0 && candidate.problems[id] === 0);
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
    gained,
    lost,
    signTestP: signTestP(improved, worsened),
    mcnemarP: mcnemarExactP(gained.length, lost.length),
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
    warnings: list.flatMap((entry) => (entry.warning ? [`${entry.label}: ${entry.warning}`] : [])),
  };
}
