import type { RoundSummary, RunReport } from '../schema/summary.ts';
import { compactCount, duration, MISSING, percent, percentInterval } from '../util/format.ts';
import { curveKs, passAtCurve } from './pass-at-curve.ts';
import { SPEND_HEADERS, SPEND_NOTE, samplingSpendRows } from './sampling-spend.ts';
import { formatTextTable, type TextColumn } from './text-table.ts';

export interface RoundTableOptions {
  /** ANSI colour: the best eval pass@1 in green, the header bold. Off by default (pipes, files). */
  color?: boolean;
}

const MODEL_WIDTH = 32;

/** Long fine-tuned model ids keep their start and end, which are what tell them apart. */
function shortModel(model: string): string {
  if (model.length <= MODEL_WIDTH) return model;
  const half = (MODEL_WIDTH - 1) / 2;
  return `${model.slice(0, Math.ceil(half))}…${model.slice(-Math.floor(half))}`;
}

/** `pass@8` when every round used the same k, `pass@k` when they differ. */
function passAtKLabel(ks: number[]): string {
  const distinct = [...new Set(ks)];
  return distinct.length === 1 ? `pass@${distinct[0]}` : 'pass@k';
}

function totalTokens(round: RoundSummary): number | undefined {
  if (!round.train && !round.eval) return undefined;
  const of = (stats?: { tokens: { prompt: number; completion: number } }) => (stats ? stats.tokens.prompt + stats.tokens.completion : 0);
  return of(round.train) + of(round.eval);
}

/**
 * One line per round: train and eval rates, the 95% interval of eval pass@1, group rates,
 * survivors, tokens and wall time; then the pass@k curve of each split when there is one.
 */
export function formatRoundTable(report: RunReport, options: RoundTableOptions = {}): string {
  const { rounds } = report;
  if (rounds.length === 0) return `${report.name}: no round has finished yet`;
  const groups = [...new Set(rounds.flatMap((r) => Object.keys(r.eval?.byGroup ?? {})))].sort();
  const trainK = passAtKLabel(rounds.flatMap((r) => (r.train ? [r.train.k] : [])));
  const evalK = passAtKLabel(rounds.flatMap((r) => (r.eval ? [r.eval.k] : [])));

  const right = (header: string): TextColumn => ({ header, align: 'right' });
  const columns: TextColumn[] = [
    right('round'),
    { header: 'model' },
    right('train pass@1'),
    right(`train ${trainK}`),
    right('train coverage'),
    right('survivors'),
    right('rationalized'),
    right('eval pass@1'),
    right('95% CI'),
    right(`eval ${evalK}`),
    ...groups.map((group) => right(`eval pass@1 ${group}`)),
    right('train err/unp'),
    right('eval err/unp'),
    right('tokens'),
    right('time'),
  ];
  const rows = rounds.map((r) => [
    String(r.round),
    shortModel(r.model),
    percent(r.train?.passAt1),
    percent(r.train?.passAtK),
    percent(r.train?.coverage),
    r.train ? String(r.train.survivors) : MISSING,
    r.train ? String(r.train.rationalized) : MISSING,
    percent(r.eval?.passAt1),
    percentInterval(r.eval?.intervals?.passAt1),
    percent(r.eval?.passAtK),
    ...groups.map((group) => percent(r.eval?.byGroup?.[group]?.passAt1)),
    undecidedCell(r.train),
    undecidedCell(r.eval),
    compactCount(totalTokens(r)),
    duration(r.wallMs),
  ]);

  const curve = curveTable(rounds);
  const note = `${INTERVAL_NOTE}\n${UNDECIDED_NOTE}` + contaminationNote(report) + (curve ? `\n\n${curve}` : '');
  if (!options.color) return `${formatTextTable(columns, rows)}\n${note}`;
  const evalColumn = 7;
  const evalRates = rounds.map((r) => r.eval?.passAt1 ?? -1);
  const best = Math.max(...evalRates);
  const table = formatTextTable(columns, rows, {
    paintHeader: (text) => `\u001b[1m${text}\u001b[22m`,
    paint: (text, row, column) => (column === evalColumn && best >= 0 && evalRates[row] === best ? `\u001b[32m${text}\u001b[39m` : text),
  });
  return `${table}\n${note}`;
}

export const UNDECIDED_NOTE = 'err/unp: verdicts that are error (the verifier failed) / unparseable (no answer found); both count as failed in the rates.';

/** `errors/unparseable` of a split; `?` for a summary written before starloop counted them. */
export function undecidedCell(stats?: { errors?: number; unparseable?: number }): string {
  if (!stats) return MISSING;
  if (stats.errors === undefined || stats.unparseable === undefined) return '?';
  return `${stats.errors}/${stats.unparseable}`;
}

/** What the contamination guard left out, when it left anything out. */
function contaminationNote(report: RunReport): string {
  const problems = report.contamination?.dropped ?? [];
  const examples = report.rounds.reduce((sum, r) => sum + (r.train?.contaminatedExamples ?? 0), 0);
  if (!problems.length && !examples) return '';
  const ids = problems.slice(0, 5).map((d) => `${d.trainId} ≈ ${d.evalId}`).join(', ');
  const parts = [
    ...(problems.length ? [`${problems.length} train problem${problems.length === 1 ? '' : 's'} left out as copies of eval problems (${ids}${problems.length > 5 ? ', …' : ''})`] : []),
    ...(examples ? [`${examples} fine-tuning example${examples === 1 ? '' : 's'} left out for containing an eval problem's text`] : []),
  ];
  return `\ncontamination: ${parts.join('; ')}.`;
}

export const INTERVAL_NOTE = '95% CI: Wilson score interval at the effective number of trials, samples clustered by problem.';

/**
 * Samples spent per problem and correct samples per problem, per round that sampled training data
 * (`starloop report` prints it below the round table); undefined when no round has the numbers.
 */
export function formatSpendTable(rounds: readonly RoundSummary[]): string | undefined {
  const rows = samplingSpendRows(rounds);
  if (rows.length === 0) return undefined;
  const columns: TextColumn[] = SPEND_HEADERS.map((header, i) => (i === 1 || i === SPEND_HEADERS.length - 1 ? { header } : { header, align: 'right' }));
  return `train samples spent per problem\n${formatTextTable(columns, rows)}\n${SPEND_NOTE}`;
}

/** pass@k at each k of the curve, one line per round and split; undefined when every curve is pass@1 alone. */
function curveTable(rounds: readonly RoundSummary[]): string | undefined {
  const ks = curveKs(rounds.flatMap((r) => [r.train, r.eval]));
  if (ks.length < 2) return undefined;
  const right = (header: string): TextColumn => ({ header, align: 'right' });
  const rows = rounds.flatMap((r) =>
    (['train', 'eval'] as const).flatMap((split) => {
      const stats = r[split];
      if (!stats) return [];
      const curve = new Map(passAtCurve(stats));
      return [[String(r.round), split, ...ks.map((k) => percent(curve.get(k)))]];
    }),
  );
  return `pass@k curve (unbiased estimator, Chen et al. 2021)\n${formatTextTable([right('round'), { header: 'split' }, ...ks.map((k) => right(`pass@${k}`))], rows)}`;
}
