import { describe, expect, it } from 'vitest';
import { readRunReport } from '../../src/store/run-reader.ts';
import { formatRoundTable } from '../../src/report/table.ts';
import { runFixture } from './fixture.ts';

describe('formatRoundTable', () => {
  it('prints one aligned line per round with rates, group columns, tokens and time', async () => {
    const table = formatRoundTable(await readRunReport(runFixture('tiny')));
    const lines = table.split('\n').slice(0, 5);
    expect(lines[0].split(/\s{2,}/)).toEqual([
      'round',
      'model',
      'train pass@1',
      'train pass@4',
      'train coverage',
      'survivors',
      'rationalized',
      'eval pass@1',
      '95% CI',
      'eval pass@4',
      'eval pass@1 easy',
      'eval pass@1 hard',
      'train err/unp',
      'eval err/unp',
      'tokens',
      'time',
    ]);
    expect(lines[1]).toMatch(/^-+( +-+)+$/);
    // Round 1: train 7/16 correct, eval 11/24; easy 8/12, hard 3/12; 400+1800+601+2500 = 5301 tokens.
    expect(lines[3].trim().split(/\s{2,}/)).toEqual(['1', 'tiny-round-1', '43.8%', '75.0%', '75.0%', '7', '2', '45.8%', '[23.1%, 70.4%]', '83.3%', '66.7%', '25.0%', '?', '?', '5.3k', '1m 08s']);
    // The last round has no train sampling; 602 + 2600 = 3202 tokens.
    expect(lines[4].trim().split(/\s{2,}/)).toEqual(['2', 'tiny-round-2', '-', '-', '-', '-', '-', '54.2%', '[27.8%, 78.3%]', '83.3%', '83.3%', '25.0%', '-', '?', '3.2k', '3.0s']);
    // The fixture's summaries predate the counts of error and unparseable verdicts: '?', never a made-up 0.
    // Round 0's summary predates intervals: the cell says so rather than inventing one.
    expect(lines[2].trim().split(/\s{2,}/)[8]).toBe('-');
    // Every column lines up: each line is as long as the rule under the header (minus trailing blanks).
    for (const line of lines.slice(2)) expect(line.length).toBeLessThanOrEqual(lines[1].length);
    expect(lines[2].length).toBe(lines[1].length);
  });

  it('prints the pass@k curve of every split, with the points an older summary lacks left blank', async () => {
    const table = formatRoundTable(await readRunReport(runFixture('tiny')));
    const curve = table.slice(table.indexOf('pass@k curve')).split('\n');
    expect(curve[1].split(/\s{2,}/)).toEqual(['round', 'split', 'pass@1', 'pass@2', 'pass@4']);
    // Round 1 eval, n = 4 per problem, c = 3, 1, 2, 0, 4, 1 → pass@2 = 1 - C(4-c, 2)/C(4, 2) each:
    // 1, 1/2, 5/6, 0, 1, 1/2 → mean 23/36 = 63.9%.
    expect(curve.find((line) => /^\s*1\s+eval/.test(line))?.trim().split(/\s+/)).toEqual(['1', 'eval', '45.8%', '63.9%', '83.3%']);
    expect(curve.find((line) => /^\s*0\s+eval/.test(line))?.trim().split(/\s+/)).toEqual(['0', 'eval', '29.2%', '-', '50.0%']);
    expect(table).toContain('95% CI: Wilson score interval at the effective number of trials');
  });

  it('colours only when asked, and marks the best eval pass@1', async () => {
    const report = await readRunReport(runFixture('tiny'));
    expect(formatRoundTable(report)).not.toContain('\u001b[');
    const coloured = formatRoundTable(report, { color: true }).split('\n');
    expect(coloured[4]).toMatch(/\u001b\[32m +54\.2%\u001b\[39m/);
    expect(coloured[2]).not.toContain('\u001b[32m');
  });

  it('says so when no round has finished', () => {
    expect(formatRoundTable({ name: 'fresh', rounds: [] })).toBe('fresh: no round has finished yet');
  });
});
