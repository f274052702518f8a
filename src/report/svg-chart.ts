import { escapeHtml } from './html-escape.ts';

/** Inline SVG charts for the HTML report: no script, no external assets, readable without CSS. */

export interface ChartPoint {
  /** Where on the x axis: a round, or the k of a pass@k curve. */
  x: number;
  value: number;
}

export interface ChartSeries {
  /** Stable id used in `data-series` (tests and styling hook on it). */
  key: string;
  label: string;
  points: ChartPoint[];
  dashed?: boolean;
}

export interface ChartOptions {
  /** `data-chart` id of the figure. */
  id: string;
  title: string;
  /**
   * The x axis: what it counts (its title, and the `data-round` or `data-k` attribute of each
   * point) and every value on it, evenly spaced in this order, even those where a series has no point.
   */
  axis: { name: 'round' | 'k'; values: number[] };
  series: ChartSeries[];
  /** `rate`: 0 to 100%; `count`: 0 to the largest value, rounded up. */
  scale: 'rate' | 'count';
}

const WIDTH = 640;
const HEIGHT = 280;
const MARGIN = { top: 16, right: 16, bottom: 40, left: 52 };
const PLOT_W = WIDTH - MARGIN.left - MARGIN.right;
const PLOT_H = HEIGHT - MARGIN.top - MARGIN.bottom;
/** Colour-blind-safe (Okabe–Ito) hues. */
const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#F0E442', '#000000'];

const fixed = (n: number) => n.toFixed(1);

/** A count axis ends on a round number so the ticks read well: 7 → 8, 37 → 40, 420 → 500. */
function niceMax(value: number): number {
  if (value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 2.5, 5, 10].find((s) => s * magnitude >= value) as number;
  return step * magnitude;
}

function axes(options: ChartOptions, yMax: number, x: (value: number) => number, y: (value: number) => number): string {
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * yMax);
  const label = (v: number) => (options.scale === 'rate' ? `${Math.round(v * 100)}%` : Number.isInteger(v) ? String(v) : v.toFixed(1));
  const grid = ticks
    .map((v) => `<line class="grid" x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${fixed(y(v))}" y2="${fixed(y(v))}"/><text class="tick" x="${MARGIN.left - 6}" y="${fixed(y(v) + 4)}" text-anchor="end">${label(v)}</text>`)
    .join('');
  const xTicks = options.axis.values.map((value) => `<text class="tick" x="${fixed(x(value))}" y="${HEIGHT - MARGIN.bottom + 16}" text-anchor="middle">${value}</text>`).join('');
  const xTitle = `<text class="axis-title" x="${MARGIN.left + PLOT_W / 2}" y="${HEIGHT - 6}" text-anchor="middle">${options.axis.name}</text>`;
  return grid + xTicks + xTitle;
}

function legend(series: ChartSeries[]): string {
  const items = series.map(
    (s, i) => `<span class="legend-item" data-series="${escapeHtml(s.key)}"><span class="swatch" style="background:${PALETTE[i % PALETTE.length]}"></span>${escapeHtml(s.label)}</span>`,
  );
  return `<div class="legend">${items.join('')}</div>`;
}

function valueText(options: ChartOptions, value: number): string {
  return options.scale === 'rate' ? `${(value * 100).toFixed(1)}%` : String(value);
}

/** A point's data attributes and the tooltip that names it: `data-round="2" data-value="0.5"><title>…</title>`. */
function pointData(options: ChartOptions, series: ChartSeries, p: ChartPoint): string {
  const { name } = options.axis;
  const where = name === 'k' ? `k = ${p.x}` : `round ${p.x}`;
  return `data-${name}="${p.x}" data-value="${p.value}"><title>${escapeHtml(series.label)}, ${where}: ${valueText(options, p.value)}</title>`;
}

function frame(options: ChartOptions, body: string, kind: 'line' | 'bar'): string {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${escapeHtml(options.title)}" data-kind="${kind}">${body}</svg>`;
  return `<figure class="chart" data-chart="${escapeHtml(options.id)}"><figcaption>${escapeHtml(options.title)}</figcaption>${svg}${legend(options.series)}</figure>`;
}

function scales(options: ChartOptions, band: boolean) {
  const values = options.series.flatMap((s) => s.points.map((p) => p.value));
  const yMax = options.scale === 'rate' ? 1 : niceMax(Math.max(0, ...values));
  const slots = Math.max(1, options.axis.values.length);
  const index = new Map(options.axis.values.map((value, i) => [value, i]));
  // Lines put the first and last values on the edges of the plot; bars need a band per value.
  const x = band
    ? (value: number) => MARGIN.left + ((index.get(value) ?? 0) + 0.5) * (PLOT_W / slots)
    : (value: number) => MARGIN.left + (slots === 1 ? PLOT_W / 2 : ((index.get(value) ?? 0) * PLOT_W) / (slots - 1));
  const y = (value: number) => MARGIN.top + PLOT_H - (Math.min(value, yMax) / yMax) * PLOT_H;
  return { yMax, x, y, bandWidth: PLOT_W / slots };
}

/** One polyline per series with a circle per point; each circle carries its x and value. */
export function lineChart(options: ChartOptions): string {
  const { yMax, x, y } = scales(options, false);
  const lines = options.series
    .map((series, i) => {
      const colour = PALETTE[i % PALETTE.length];
      const points = [...series.points].sort((a, b) => a.x - b.x);
      const path = points.map((p) => `${fixed(x(p.x))},${fixed(y(p.value))}`).join(' ');
      const line = points.length > 1 ? `<polyline fill="none" stroke="${colour}" stroke-width="2"${series.dashed ? ' stroke-dasharray="6 4"' : ''} points="${path}"/>` : '';
      const dots = points
        .map(
          (p) =>
            `<circle cx="${fixed(x(p.x))}" cy="${fixed(y(p.value))}" r="4" fill="${colour}" data-series="${escapeHtml(series.key)}" ${pointData(options, series, p)}</circle>`,
        )
        .join('');
      return `<g class="series" data-series="${escapeHtml(series.key)}">${line}${dots}</g>`;
    })
    .join('');
  return frame(options, axes(options, yMax, x, y) + lines, 'line');
}

/** Grouped bars: one band per x value, one bar per series within it. */
export function barChart(options: ChartOptions): string {
  const { yMax, x, y, bandWidth } = scales(options, true);
  const count = Math.max(1, options.series.length);
  const barWidth = (bandWidth * 0.7) / count;
  const bars = options.series
    .map((series, i) => {
      const colour = PALETTE[i % PALETTE.length];
      const rects = series.points
        .map((p) => {
          const left = x(p.x) - (barWidth * count) / 2 + i * barWidth;
          const top = y(p.value);
          return `<rect x="${fixed(left)}" y="${fixed(top)}" width="${fixed(barWidth)}" height="${fixed(MARGIN.top + PLOT_H - top)}" fill="${colour}" data-series="${escapeHtml(series.key)}" ${pointData(options, series, p)}</rect>`;
        })
        .join('');
      return `<g class="series" data-series="${escapeHtml(series.key)}">${rects}</g>`;
    })
    .join('');
  return frame(options, axes(options, yMax, x, y) + bars, 'bar');
}
