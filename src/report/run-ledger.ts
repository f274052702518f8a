import { type Ledger, LedgerBuilder } from './ledger.ts';
import { iterateRunVerdicts, listRoundDirs, readRunReport, type Phase } from '../store/run-reader.ts';

/**
 * The per-problem ledger of a run directory for one phase. By default only rounds with a summary
 * count: a round still sampling would show problems as "lost" that are merely not sampled yet.
 * Verdicts are streamed from the files (a train phase may hold millions), not held.
 */
export async function readRunLedger(runDir: string, phase: Phase = 'eval', options: { includeUnfinished?: boolean } = {}): Promise<Ledger> {
  let rounds = await listRoundDirs(runDir);
  if (!options.includeUnfinished) {
    const finished = new Set((await readRunReport(runDir)).rounds.map((r) => r.round));
    rounds = rounds.filter((round) => finished.has(round));
  }
  // The ledger's rounds are those with a verdict of this phase.
  const withVerdicts: number[] = [];
  for (const round of rounds) {
    for await (const _ of iterateRunVerdicts(runDir, round, phase)) {
      withVerdicts.push(round);
      break;
    }
  }
  const builder = new LedgerBuilder(withVerdicts);
  for (const round of withVerdicts) for await (const verdict of iterateRunVerdicts(runDir, round, phase)) builder.add(verdict);
  return builder.finish();
}
