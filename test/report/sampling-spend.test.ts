import { expect, test } from 'vitest';
import { renderHtmlReport } from '../../src/report/html.ts';
import { formatSpendTable } from '../../src/report/table.ts';
import type { RunReport, SamplingStats } from '../../src/schema/summary.ts';
import { readRunReport } from '../../src/store/run-reader.ts';
import { runFixture } from './fixture.ts';

/** The tiny fixture run with the sampling numbers an adaptive round records. */
async function reportWithSpend(): Promise<RunReport> {
  const report = await readRunReport(runFixture('tiny'));
  const uniform: SamplingStats = {
    strategy: 'uniform', correct: 2, maxK: 16, measuredOn: 4, samples: 61,
    samplesPerProblem: { min: 2, median: 4, mean: 7.625, max: 16 },
    correctPerProblem: { '10': 0, '0': 2, '2': 5, '1': 1 },
    unparseable: 3,
    errors: 0,
  };
  const rounds = report.rounds.map((r) => (r.round === 0 && r.train ? { ...r, train: { ...r.train, sampling: uniform } } : r));
  return { ...report, rounds };
}

test('the text report shows each round’s samples spent per problem and the problems by correct samples', async () => {
  const section = (formatSpendTable((await reportWithSpend()).rounds) ?? '').split('\n');
  expect(section[0]).toBe('train samples spent per problem');
  expect(section[1].trim().split(/\s{2,}/)).toEqual(['round', 'strategy', 'samples', 'per problem min', 'median', 'mean', 'max', 'unparseable', 'errors', 'problems by correct samples']);
  // Counts in numeric order of correct samples (10 after 2, not after 1).
  expect(section[3].trim().split(/\s{2,}/)).toEqual(['0', 'uniform (c=2, maxK=16)', '61', '2', '4', '7.6', '16', '3', '0', '0:2 1:1 2:5 10:0']);
  // Rounds without the numbers (summaries from before strategies) get no row, not zeros.
  expect(section).toHaveLength(5);
  expect(section[4]).toContain('c:n');
});

test('the HTML report has the same table; a run without the numbers has none', async () => {
  const html = renderHtmlReport(await reportWithSpend(), { generatedAt: '2026-01-01T00:00:00Z' });
  const table = html.slice(html.indexOf('<table id="sampling-spend">'), html.indexOf('</table>', html.indexOf('<table id="sampling-spend">')));
  const cells = [...table.matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((m) => m[1]);
  expect(cells).toEqual(['0', 'uniform (c=2, maxK=16)', '61', '2', '4', '7.6', '16', '3', '0', '0:2 1:1 2:5 10:0']);
  const plain = renderHtmlReport(await readRunReport(runFixture('tiny')), { generatedAt: '2026-01-01T00:00:00Z' });
  expect(plain).not.toContain('sampling-spend');
  expect(formatSpendTable((await readRunReport(runFixture('tiny'))).rounds)).toBeUndefined();
});

test('a round recorded before undecided samples were counted says n/a, not 0', async () => {
  const report = await reportWithSpend();
  const rounds = report.rounds.map((r) => (r.train?.sampling ? { ...r, train: { ...r.train, sampling: { ...r.train.sampling, unparseable: undefined, errors: undefined } } } : r));
  const row = (formatSpendTable(rounds) ?? '').split('\n')[3].trim().split(/\s{2,}/);
  expect(row.slice(7, 9)).toEqual(['n/a', 'n/a']);
});
