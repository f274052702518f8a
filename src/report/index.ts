export { readRunReport, readRunManifest, readRunVerdicts, readAllRunVerdicts, listRoundDirs, type Phase } from '../store/run-reader.ts';
export { formatRoundTable, type RoundTableOptions } from './table.ts';
export { buildLedger, ledgerTotals, Ledger, LedgerEntry, LedgerRound, type BuildLedgerOptions, type LedgerTotals } from './ledger.ts';
export { readRunLedger } from './run-ledger.ts';
export { compareRuns, formatComparison, ComparisonEntry, ComparisonResult, CompareOptions, EntrySummary, PairedComparison } from './compare.ts';
export { evalEntryFromVerdicts, readRoundEntries, readLastRoundEntry } from './compare-inputs.ts';
export { renderHtmlReport, type HtmlReportExtras } from './html.ts';
export { renderRunHtml } from './run-html.ts';
export { ReportError } from './report-error.ts';
