import { compareRuns, type ComparisonResult } from './compare.ts';
import { readRoundEntries } from './compare-inputs.ts';
import { renderHtmlReport } from './html.ts';
import { readRunManifest, readRunReport } from '../store/run-reader.ts';
import { readRunLedger } from './run-ledger.ts';

/**
 * The HTML report of a run directory: rounds, charts, eval and train ledgers, and each evaluated round
 * compared with the base round (round 0 or the first evaluated one).
 */
export async function renderRunHtml(runDir: string, options: { generatedAt?: Date | string } = {}): Promise<string> {
  const [report, manifest, evalLedger, trainLedger] = await Promise.all([
    readRunReport(runDir),
    readRunManifest(runDir),
    readRunLedger(runDir, 'eval'),
    readRunLedger(runDir, 'train'),
  ]);
  const evaluated = report.rounds.filter((r) => r.eval).map((r) => r.round);
  let comparison: ComparisonResult | undefined;
  if (evaluated.length >= 2) comparison = compareRuns(await readRoundEntries(runDir, evaluated));
  return renderHtmlReport(report, { manifest, evalLedger, trainLedger, comparison, generatedAt: options.generatedAt });
}
