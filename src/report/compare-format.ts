import { percent, points } from '../util/format.ts';
import type { ComparisonResult, PairedComparison } from './compare.ts';
import { formatTextTable, type TextColumn } from './text-table.ts';

export const pValue = (p: number) => (p < 0.001 ? '<0.001' : p.toFixed(3));

export const VERDICT_RULE = 'a difference is real when its interval excludes 0 and the permutation test agrees.';

export const SOLVED_RULE = "solved = at least one correct sample; McNemar's exact test is on these flips.";

export const VERDICT_TEXT: Record<PairedComparison['verdict'], string> = {
  gain: 'real gain',
  loss: 'real loss',
  noise: 'within noise',
};

/** Problem ids listed in a terminal line before the rest are counted; --json lists them all. */
const LISTED_IDS = 20;

function idList(ids: readonly string[]): string {
  if (ids.length <= LISTED_IDS) return ids.join(', ');
  return `${ids.slice(0, LISTED_IDS).join(', ')}, … (${ids.length - LISTED_IDS} more; --json lists all)`;
}

/** One line per direction: which problems became solved and which stopped being solved. */
export function flipLines(pair: PairedComparison): string[] {
  const head = `${pair.candidate} vs ${pair.baseline}:`;
  return [
    `${head} ${pair.gained.length} newly solved${pair.gained.length ? `: ${idList(pair.gained)}` : ''}`,
    `${head} ${pair.lost.length} no longer solved${pair.lost.length ? `: ${idList(pair.lost)}` : ''}`,
  ];
}

/**
 * Two tables: each entry with its interval, then each paired comparison with its verdict; then the
 * problems that flipped each way, and any warning about the entries.
 */
export function formatComparison(result: ComparisonResult): string {
  const level = `${Math.round(result.confidence * 100)}% CI`;
  const right = (header: string): TextColumn => ({ header, align: 'right' });
  const entryTable = formatTextTable(
    [{ header: 'entry' }, right('problems'), right('eval pass@1'), right(level), { header: 'interval' }],
    result.entries.map((e) => [e.label, String(e.problems), percent(e.passAt1), `[${percent(e.low)}, ${percent(e.high)}]`, e.method]),
  );
  const warnings = result.warnings.map((w) => `warning: ${w}`);
  if (result.pairs.length === 0) return [entryTable, ...warnings].join('\n');
  const pairTable = formatTextTable(
    [
      { header: 'entry' }, { header: 'vs' }, right('shared'), right('difference'), right(`${level} (paired bootstrap)`),
      right('improved'), right('worsened'), right('same'), right('sign test p'), right('permutation p'),
      right('gained'), right('lost'), right('McNemar p'), { header: 'verdict' },
    ],
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
      String(p.gained.length),
      String(p.lost.length),
      pValue(p.mcnemarP),
      VERDICT_TEXT[p.verdict],
    ]),
  );
  const note = `${result.resamples} bootstrap resamples, seed ${result.seed}; ${VERDICT_RULE}\n${SOLVED_RULE}`;
  return [`${entryTable}\n\n${pairTable}\n${note}\n`, ...result.pairs.flatMap(flipLines), ...warnings].join('\n');
}
