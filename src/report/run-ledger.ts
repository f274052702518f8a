import { buildLedger, type Ledger } from './ledger.ts';
import { readAllRunVerdicts, readRunReport, type Phase } from '../store/run-reader.ts';

/**
 * The per-problem ledger of a run directory for one phase. By default only rounds with a summary
 * count: a round still sampling would show problems as "lost" that are merely not sampled yet.
 */
export async function readRunLedger(runDir: string, phase: Phase = 'eval', options: { includeUnfinished?: boolean } = {}): Promise<Ledger> {
  const verdicts = await readAllRunVerdicts(runDir, phase);
  if (options.includeUnfinished) return buildLedger(verdicts);
  const finished = new Set((await readRunReport(runDir)).rounds.map((r) => r.round));
  return buildLedger(verdicts.filter((v) => finished.has(v.round)));
}
