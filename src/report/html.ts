import type { RunManifest } from '../schema/manifest.ts';
import type { RoundSummary, RunReport } from '../schema/summary.ts';
import type { ComparisonResult } from './compare.ts';
import { pValue, SOLVED_RULE, VERDICT_RULE, VERDICT_TEXT } from './compare-format.ts';
import { compactCount, duration, MISSING, percent, percentInterval, points } from '../util/format.ts';
import { escapeHtml } from './html-escape.ts';
import { ledgerTotals, type Ledger, type LedgerEntry } from './ledger.ts';
import { curveKs, passAtCurve } from './pass-at-curve.ts';
import { SPEND_HEADERS, SPEND_NOTE, samplingSpendRows } from './sampling-spend.ts';
import { barChart, lineChart, type ChartSeries } from './svg-chart.ts';
import { INTERVAL_NOTE, UNDECIDED_NOTE } from './table.ts';

export interface HtmlReportExtras {
  /** Adds the run's provenance: tool version, config hash, seeds, policies. */
  manifest?: RunManifest;
  /** Per-problem history of the eval problems across rounds. */
  evalLedger?: Ledger;
  /** Per-problem history of the train problems (what the policy learned to solve). */
  trainLedger?: Ledger;
  comparison?: ComparisonResult;
  /** Shown in the header; defaults to now. Pass a fixed value for reproducible files. */
  generatedAt?: Date | string;
}

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:1200px;padding:0 1rem;color:#1b1f24;background:#fff}
h1{font-size:1.6rem;margin:0 0 .25rem}h2{font-size:1.2rem;margin:2rem 0 .5rem;border-bottom:1px solid #d0d7de;padding-bottom:.25rem}
.meta{color:#57606a;margin:0}.meta code{font-size:.9em}
table{border-collapse:collapse;margin:.5rem 0;font-variant-numeric:tabular-nums}
th,td{border:1px solid #d0d7de;padding:.25rem .6rem;text-align:right;white-space:nowrap}
th{background:#f6f8fa}td.text,th.text{text-align:left}
#comparison-flips td{white-space:normal;max-width:40em}
tr.lost td{background:#fff1f0}.badge{font-size:.85em;padding:0 .4em;border-radius:.6em;background:#eaeef2}
.lost .badge{background:#ffd8d3}
.charts{display:flex;flex-wrap:wrap;gap:1.5rem}
figure.chart{margin:0;flex:1 1 520px;max-width:640px}figcaption{font-weight:600;margin-bottom:.25rem}
svg{width:100%;height:auto;overflow:visible}
svg .grid{stroke:#e4e8ec;stroke-width:1}svg .tick,svg .axis-title{font-size:11px;fill:#57606a}
.legend{display:flex;flex-wrap:wrap;gap:.75rem;font-size:.9em}.swatch{display:inline-block;width:.8em;height:.8em;margin-right:.3em;border-radius:2px;vertical-align:-1px}
.note{color:#57606a;font-size:.9em}
`;

interface Cell {
  text: string;
  /** Left-aligned (names) rather than right-aligned (numbers). */
  isText?: boolean;
  badge?: boolean;
}

const cell = (text: string, isText = false): Cell => ({ text, isText });

const cellHtml = (c: Cell) => (c.badge ? `<span class="badge">${escapeHtml(c.text)}</span>` : escapeHtml(c.text));

function table(id: string, headers: Cell[], rows: { cells: Cell[]; attributes?: string }[]): string {
  const th = headers.map((h) => `<th${h.isText ? ' class="text"' : ''} scope="col">${escapeHtml(h.text)}</th>`).join('');
  const body = rows
    .map((row) => `<tr${row.attributes ?? ''}>${row.cells.map((c) => `<td${c.isText ? ' class="text"' : ''}>${cellHtml(c)}</td>`).join('')}</tr>`)
    .join('\n');
  return `<table id="${id}"><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function evalGroups(rounds: RoundSummary[]): string[] {
  return [...new Set(rounds.flatMap((r) => Object.keys(r.eval?.byGroup ?? {})))].sort();
}

function roundsTable(rounds: RoundSummary[]): string {
  const groups = evalGroups(rounds);
  const headers = [
    cell('round'),
    cell('model', true),
    cell('train pass@1'),
    cell('train pass@k'),
    cell('train maj@k'),
    cell('train coverage'),
    cell('survivors'),
    cell('rationalized'),
    cell('eval pass@1'),
    cell('eval pass@1 95% CI'),
    cell('eval pass@k'),
    cell('eval maj@k'),
    cell('eval coverage'),
    ...groups.map((g) => cell(`eval pass@1 ${g}`)),
    cell('train errors'),
    cell('train unparseable'),
    cell('eval errors'),
    cell('eval unparseable'),
    cell('tokens'),
    cell('cost'),
    cell('time'),
  ];
  const rows = rounds.map((r) => {
    const tokens = (r.train ? r.train.tokens.prompt + r.train.tokens.completion : 0) + (r.eval ? r.eval.tokens.prompt + r.eval.tokens.completion : 0);
    const costs = [r.train?.costUsd, r.eval?.costUsd].filter((c): c is number => typeof c === 'number');
    return {
      attributes: ` data-round="${r.round}"`,
      cells: [
        cell(String(r.round)),
        cell(r.model, true),
        cell(percent(r.train?.passAt1)),
        cell(r.train ? `${percent(r.train.passAtK)} (k=${r.train.k})` : MISSING),
        cell(percent(r.train?.majAtK)),
        cell(percent(r.train?.coverage)),
        cell(r.train ? String(r.train.survivors) : MISSING),
        cell(r.train ? String(r.train.rationalized) : MISSING),
        cell(percent(r.eval?.passAt1)),
        cell(percentInterval(r.eval?.intervals?.passAt1)),
        cell(r.eval ? `${percent(r.eval.passAtK)} (k=${r.eval.k})` : MISSING),
        cell(percent(r.eval?.majAtK)),
        cell(percent(r.eval?.coverage)),
        ...groups.map((g) => cell(percent(r.eval?.byGroup?.[g]?.passAt1))),
        cell(countCell(r.train, 'errors')),
        cell(countCell(r.train, 'unparseable')),
        cell(countCell(r.eval, 'errors')),
        cell(countCell(r.eval, 'unparseable')),
        cell(r.train || r.eval ? compactCount(tokens) : MISSING),
        cell(costs.length ? `$${costs.reduce((a, b) => a + b, 0).toFixed(2)}` : MISSING),
        cell(duration(r.wallMs)),
      ],
    };
  });
  return `${table('rounds', headers, rows)}<p class="note">${escapeHtml(INTERVAL_NOTE)}</p><p class="note">${escapeHtml(UNDECIDED_NOTE)}</p>`;
}

/** A split's count of `error` or `unparseable` verdicts; `?` for a summary written before starloop counted them. */
function countCell(stats: { errors?: number; unparseable?: number } | undefined, key: 'errors' | 'unparseable'): string {
  if (!stats) return MISSING;
  return stats[key] === undefined ? '?' : String(stats[key]);
}

const SPLITS = ['train', 'eval'] as const;

/** pass@k at each k of the curve, a row per round and split; empty when every curve is pass@1 alone. */
function curveTable(rounds: RoundSummary[]): string {
  const ks = curveKs(rounds.flatMap((r) => [r.train, r.eval]));
  if (ks.length < 2) return '';
  const rows = rounds.flatMap((r) =>
    SPLITS.flatMap((split) => {
      const stats = r[split];
      if (!stats) return [];
      const curve = new Map(passAtCurve(stats));
      return [{ attributes: ` data-round="${r.round}" data-split="${split}"`, cells: [cell(String(r.round)), cell(split, true), ...ks.map((k) => cell(percent(curve.get(k))))] }];
    }),
  );
  return `<h2>pass@k curve</h2>${table('pass-at-curve', [cell('round'), cell('split', true), ...ks.map((k) => cell(`pass@${k}`))], rows)}<p class="note">Unbiased estimator of Chen et al. (2021) at every power of two up to k and at k.</p>`;
}

function series(key: string, label: string, rounds: RoundSummary[], value: (r: RoundSummary) => number | undefined, dashed = false): ChartSeries {
  const points = rounds.flatMap((r) => {
    const v = value(r);
    return v === undefined ? [] : [{ x: r.round, value: v }];
  });
  return { key, label, points, dashed };
}

function charts(rounds: RoundSummary[]): string {
  const axis = { name: 'round' as const, values: rounds.map((r) => r.round) };
  const nonEmpty = (list: ChartSeries[]) => list.filter((s) => s.points.length > 0);
  const figures: string[] = [];
  const rates = nonEmpty([
    series('train-pass-at-1', 'train pass@1', rounds, (r) => r.train?.passAt1),
    series('train-pass-at-k', 'train pass@k', rounds, (r) => r.train?.passAtK, true),
    series('eval-pass-at-1', 'eval pass@1', rounds, (r) => r.eval?.passAt1),
    series('eval-pass-at-k', 'eval pass@k', rounds, (r) => r.eval?.passAtK, true),
  ]);
  if (rates.length) figures.push(lineChart({ id: 'pass-rates', title: 'Pass rates per round', axis, series: rates, scale: 'rate' }));
  for (const split of SPLITS) {
    const ks = curveKs(rounds.map((r) => r[split]));
    if (ks.length < 2) continue;
    const curves = rounds.flatMap((r) => {
      const stats = r[split];
      return stats ? [{ key: `round-${r.round}`, label: `round ${r.round}`, points: passAtCurve(stats).map(([k, value]) => ({ x: k, value })) }] : [];
    });
    figures.push(lineChart({ id: `pass-at-k-${split}`, title: `${split} pass@k by k`, axis: { name: 'k', values: ks }, series: curves, scale: 'rate' }));
  }
  const groups = evalGroups(rounds);
  if (groups.length) {
    const perGroup = groups.map((g) => series(`group-${g}`, g, rounds, (r) => r.eval?.byGroup?.[g]?.passAt1));
    figures.push(lineChart({ id: 'eval-groups', title: 'Eval pass@1 per group', axis, series: nonEmpty(perGroup), scale: 'rate' }));
  }
  const trained = rounds.filter((r) => r.train);
  if (trained.length) {
    const counts = [series('survivors', 'survivors', trained, (r) => r.train?.survivors), series('rationalized', 'rationalized', trained, (r) => r.train?.rationalized)];
    figures.push(barChart({ id: 'survivors', title: 'Survivors per round', axis: { name: 'round', values: trained.map((r) => r.round) }, series: counts, scale: 'count' }));
  }
  return figures.length ? `<div class="charts">${figures.join('\n')}</div>` : '<p class="note">No finished round yet.</p>';
}

/** Samples spent per problem and correct samples per problem, per round that sampled training data. */
function spendSection(rounds: RoundSummary[]): string {
  const rows = samplingSpendRows(rounds);
  if (rows.length === 0) return '';
  const textColumns = new Set([1, SPEND_HEADERS.length - 1]);
  const headers = SPEND_HEADERS.map((header, i) => cell(header, textColumns.has(i)));
  const body = rows.map((row) => ({ cells: row.map((text, i) => cell(text, textColumns.has(i))) }));
  return `<h2>Train samples spent per problem</h2>${table('sampling-spend', headers, body)}<p class="note">${escapeHtml(SPEND_NOTE)}</p>`;
}

function provenance(manifest: RunManifest): string {
  const items = [
    ['created', manifest.createdAt],
    ['updated', manifest.updatedAt],
    ['starloop', `${manifest.tool.version}${manifest.tool.gitHash ? ` (${manifest.tool.gitHash.slice(0, 10)})` : ''}`],
    ['config hash', manifest.configHash.slice(0, 16)],
    ['seeds', `run ${manifest.seeds.run}, sampling ${manifest.seeds.sampling}`],
    ['train set', `${manifest.datasets.train.path} (${manifest.datasets.train.problems} problems)`],
    ...(manifest.datasets.eval ? [['eval set', `${manifest.datasets.eval.path} (${manifest.datasets.eval.problems} problems)`]] : []),
    ['verifiers', Object.entries(manifest.verifiers).map(([id, version]) => `${id} ${version}`).join(', ')],
    ...(manifest.contamination?.dropped.length
      ? [['contamination', `${manifest.contamination.dropped.length} train problems left out as copies of eval problems: ${manifest.contamination.dropped.map((d) => `${d.trainId} ≈ ${d.evalId}`).join(', ')}`]]
      : []),
    ...(manifest.datasetSource !== 'survivors' ? [['dataset source', manifest.datasetSource === 'gold-control' ? 'gold-control (same-steps control run: gold data)' : manifest.datasetSource]] : []),
  ];
  return `<p class="meta">${items.map(([k, v]) => `${escapeHtml(k)}: <code>${escapeHtml(v)}</code>`).join(' · ')}</p>`;
}

function comparisonSection(result: ComparisonResult): string {
  const level = `${Math.round(result.confidence * 100)}% CI`;
  const entries = table(
    'comparison-entries',
    [cell('entry', true), cell('problems'), cell('eval pass@1'), cell(level), cell('interval', true)],
    result.entries.map((e) => ({ cells: [cell(e.label, true), cell(String(e.problems)), cell(percent(e.passAt1)), cell(`[${percent(e.low)}, ${percent(e.high)}]`), cell(e.method, true)] })),
  );
  const pairs = result.pairs.length
    ? table(
        'comparison-pairs',
        [
          cell('entry', true), cell('vs', true), cell('shared'), cell('difference'), cell(`${level} (paired bootstrap)`), cell('improved'), cell('worsened'),
          cell('same'), cell('sign test p'), cell('permutation p'), cell('gained'), cell('lost'), cell('McNemar p'), cell('verdict', true),
        ],
        result.pairs.map((p) => ({
          attributes: ` data-verdict="${p.verdict}"`,
          cells: [
            cell(p.candidate, true),
            cell(p.baseline, true),
            cell(String(p.sharedProblems)),
            cell(points(p.meanDifference)),
            cell(`[${points(p.low)}, ${points(p.high)}]`),
            cell(String(p.improved)),
            cell(String(p.worsened)),
            cell(String(p.unchanged)),
            cell(pValue(p.signTestP)),
            cell(pValue(p.permutationP)),
            cell(String(p.gained.length)),
            cell(String(p.lost.length)),
            cell(pValue(p.mcnemarP)),
            cell(VERDICT_TEXT[p.verdict], true),
          ],
        })),
      )
    : '';
  const note = `${result.resamples} bootstrap resamples, seed ${result.seed}; ${VERDICT_RULE} ${SOLVED_RULE}`;
  const warnings = result.warnings.map((w) => `<p class="note warning">warning: ${escapeHtml(w)}</p>`).join('');
  return `<h2>Comparison</h2>${entries}${pairs}<p class="note">${escapeHtml(note)}</p>${flipsTable(result)}${warnings}`;
}

/** The problems that flipped in each comparison, every id listed. */
function flipsTable(result: ComparisonResult): string {
  if (result.pairs.length === 0) return '';
  const ids = (list: string[]) => ({ text: list.length ? list.join(', ') : MISSING, isText: true });
  return table(
    'comparison-flips',
    [cell('entry', true), cell('vs', true), cell('newly solved', true), cell('no longer solved', true)],
    result.pairs.map((p) => ({ attributes: ` data-candidate="${escapeHtml(p.candidate)}"`, cells: [cell(p.candidate, true), cell(p.baseline, true), ids(p.gained), ids(p.lost)] })),
  );
}

function ledgerStatus(entry: LedgerEntry): string {
  if (entry.solvedThenLost) return 'solved then lost';
  return entry.firstSolvedRound === null ? 'never solved' : 'solved';
}

function ledgerSection(ledger: Ledger, phase: 'eval' | 'train'): string {
  const totals = ledgerTotals(ledger);
  const headers = [cell('problem', true), cell('attempts'), cell('correct'), ...ledger.rounds.map((r) => cell(`round ${r}`)), cell('first solved'), cell('rationalized'), cell('status', true)];
  const rows = ledger.problems.map((p) => ({
    attributes: ` data-problem="${escapeHtml(p.problemId)}"${p.solvedThenLost ? ' class="lost"' : ''}`,
    cells: [
      cell(p.problemId, true),
      cell(String(p.attempts)),
      cell(String(p.correct)),
      ...p.rounds.map((r) => cell(r.attempts ? `${r.correct}/${r.attempts}` : MISSING)),
      cell(p.firstSolvedRound === null ? MISSING : String(p.firstSolvedRound)),
      cell(String(p.rationalized)),
      { text: ledgerStatus(p), isText: true, badge: true },
    ],
  }));
  const summary = `${totals.problems} problems: ${totals.everSolved} solved at least once, ${totals.solvedThenLost} solved then lost, ${totals.neverSolved} never solved.`;
  return `<h2>Per-problem ledger: ${phase}</h2><p class="note" id="ledger-${phase}-totals">${escapeHtml(summary)}</p>${table(`ledger-${phase}`, headers, rows)}`;
}

/** A self-contained HTML page (inline CSS and SVG, no script, no external asset) for one run. */
export function renderHtmlReport(report: RunReport, extras: HtmlReportExtras = {}): string {
  const generatedAt = extras.generatedAt instanceof Date ? extras.generatedAt.toISOString() : (extras.generatedAt ?? new Date().toISOString());
  const sections = [
    `<h1>starloop run: ${escapeHtml(report.name)}</h1>`,
    `<p class="meta">report generated ${escapeHtml(generatedAt)} · ${report.rounds.length} finished round${report.rounds.length === 1 ? '' : 's'}</p>`,
    extras.manifest ? provenance(extras.manifest) : '',
    '<h2>Rounds</h2>',
    report.rounds.length ? roundsTable(report.rounds) : '',
    charts(report.rounds),
    curveTable(report.rounds),
    spendSection(report.rounds),
    extras.comparison ? comparisonSection(extras.comparison) : '',
    extras.evalLedger?.problems.length ? ledgerSection(extras.evalLedger, 'eval') : '',
    extras.trainLedger?.problems.length ? ledgerSection(extras.trainLedger, 'train') : '',
  ];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>starloop report: ${escapeHtml(report.name)}</title>
<style>${STYLE}</style>
</head>
<body>
${sections.filter(Boolean).join('\n')}
</body>
</html>
`;
}
