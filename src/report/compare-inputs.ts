import type { RoundSummary } from '../schema/summary.ts';
import type { VerdictRecord } from '../schema/verdict.ts';
import type { ComparisonEntry } from './compare.ts';
import { readRunReport, readRunVerdicts } from '../store/run-reader.ts';
import { ReportError } from './report-error.ts';

export interface EntryScope {
  /** Problems of the eval set with no verdict at all: each counts as 0, as in the round summary. */
  unsampled?: readonly string[];
  /** Only sample indices below k count, as in the round summary (a verdict file may hold more). */
  k?: number;
}

/**
 * Each problem's fraction of correct plain samples; hinted (rationalization) verdicts are left out,
 * and a sample judged twice (a resumed write) counts once. Problems in `scope.unsampled` count as
 * 0, so the entry's pass@1 is the round summary's.
 */
export function evalEntryFromVerdicts(label: string, verdicts: readonly VerdictRecord[], scope: EntryScope = {}): ComparisonEntry {
  const bySample = new Map<string, VerdictRecord>();
  for (const verdict of verdicts) {
    if (verdict.hinted || (scope.k !== undefined && verdict.index >= scope.k)) continue;
    bySample.set(verdict.sampleId, verdict);
  }
  const tally = new Map<string, { n: number; c: number }>();
  for (const id of scope.unsampled ?? []) tally.set(id, { n: 0, c: 0 });
  for (const verdict of bySample.values()) {
    const counts = tally.get(verdict.problemId) ?? { n: 0, c: 0 };
    counts.n++;
    if (verdict.status === 'correct') counts.c++;
    tally.set(verdict.problemId, counts);
  }
  const problems = Object.fromEntries([...tally].map(([id, { n, c }]) => [id, n === 0 ? 0 : c / n]));
  const draws = [...tally.values()].reduce((sum, { n }) => sum + Math.max(1, n), 0);
  return { label, problems, draws };
}

/**
 * A finished round's eval as a comparison entry, scoped by its summary. A summary written before
 * unsampled problems were listed cannot name them: when it counts more problems than have verdicts,
 * the entry says how many are left out instead of guessing.
 */
async function roundEntry(runDir: string, summary: RoundSummary, label: string): Promise<ComparisonEntry> {
  const stats = summary.eval;
  if (!stats) throw new ReportError(`round ${summary.round} has no finished eval`);
  const entry = evalEntryFromVerdicts(label, await readRunVerdicts(runDir, summary.round, 'eval'), { unsampled: stats.unsampledProblems, k: stats.k });
  const missing = stats.problems - Object.keys(entry.problems).length;
  if (missing > 0) {
    entry.warning = `the round summary counts ${stats.problems} eval problems as evaluated (unsampled ones as 0), but ${missing} of them have no verdict and the summary predates the list that names them, so they are left out here`;
  }
  return entry;
}

/** The finished rounds of one run that have an eval (all, or those listed), labelled `round N`. */
export async function readRoundEntries(runDir: string, rounds?: readonly number[]): Promise<ComparisonEntry[]> {
  const report = await readRunReport(runDir);
  const evaluated = report.rounds.filter((r) => r.eval);
  const wanted = rounds ?? evaluated.map((r) => r.round);
  const missing = wanted.filter((round) => !evaluated.some((r) => r.round === round));
  if (missing.length > 0) {
    throw new ReportError(`run ${report.name} has no finished eval for round ${missing.join(', ')} (evaluated: ${evaluated.map((r) => r.round).join(', ') || 'none'})`);
  }
  return Promise.all(wanted.map((round) => roundEntry(runDir, evaluated.find((r) => r.round === round)!, `round ${round}`)));
}

/** The last finished eval of a run, labelled `<name> r<N>`, for comparing runs with each other. */
export async function readLastRoundEntry(runDir: string): Promise<ComparisonEntry> {
  const report = await readRunReport(runDir);
  const last = report.rounds.filter((r) => r.eval).at(-1);
  if (!last) throw new ReportError(`run ${report.name} (${runDir}) has no finished eval yet`);
  return roundEntry(runDir, last, `${report.name} r${last.round}`);
}
