import type { VerdictRecord } from '../schema/verdict.ts';
import type { ComparisonEntry } from './compare.ts';
import { readRunReport, readRunVerdicts } from '../store/run-reader.ts';
import { ReportError } from './report-error.ts';

/** Each problem's fraction of correct plain samples; hinted (rationalization) verdicts are left out. */
export function evalEntryFromVerdicts(label: string, verdicts: readonly VerdictRecord[]): ComparisonEntry {
  const tally = new Map<string, { n: number; c: number }>();
  for (const verdict of verdicts) {
    if (verdict.hinted) continue;
    const counts = tally.get(verdict.problemId) ?? { n: 0, c: 0 };
    counts.n++;
    if (verdict.status === 'correct') counts.c++;
    tally.set(verdict.problemId, counts);
  }
  return { label, problems: Object.fromEntries([...tally].map(([id, { n, c }]) => [id, c / n])) };
}

/** The finished rounds of one run that have an eval (all, or those listed), labelled `round N`. */
export async function readRoundEntries(runDir: string, rounds?: readonly number[]): Promise<ComparisonEntry[]> {
  const report = await readRunReport(runDir);
  const evaluated = report.rounds.filter((r) => r.eval).map((r) => r.round);
  const wanted = rounds ?? evaluated;
  const missing = wanted.filter((round) => !evaluated.includes(round));
  if (missing.length > 0) {
    throw new ReportError(`run ${report.name} has no finished eval for round ${missing.join(', ')} (evaluated: ${evaluated.join(', ') || 'none'})`);
  }
  return Promise.all(wanted.map(async (round) => evalEntryFromVerdicts(`round ${round}`, await readRunVerdicts(runDir, round, 'eval'))));
}

/** The last finished eval of a run, labelled `<name> r<N>`, for comparing runs with each other. */
export async function readLastRoundEntry(runDir: string): Promise<ComparisonEntry> {
  const report = await readRunReport(runDir);
  const last = report.rounds.filter((r) => r.eval).at(-1);
  if (!last) throw new ReportError(`run ${report.name} (${runDir}) has no finished eval yet`);
  return evalEntryFromVerdicts(`${report.name} r${last.round}`, await readRunVerdicts(runDir, last.round, 'eval'));
}
