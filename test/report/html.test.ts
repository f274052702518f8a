import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtmlReport } from '../../src/report/html.ts';
import { readRunReport } from '../../src/store/run-reader.ts';
import { renderRunHtml } from '../../src/report/run-html.ts';
import { runFixture } from './fixture.ts';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`test/report/html.test.ts skipped: ${CHROMIUM} is not installed (apt-get install chromium)`);

describe.skipIf(!hasChromium)('HTML report in a real browser', () => {
  let browser: Browser;
  let dir: string;
  /** Every URL the page asked for: a self-contained report asks for nothing but itself. */
  const requested: string[] = [];
  let opened = 0;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'starloop-html-'));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function open(name: string, html: string): Promise<Page> {
    const path = join(dir, name);
    await writeFile(path, html);
    const page = await browser.newPage();
    opened++;
    page.on('request', (request) => requested.push(request.url()));
    await page.goto(pathToFileURL(path).href);
    return page;
  }

  it('draws one point per round for each rate and shows the numbers', async () => {
    const page = await open('tiny.html', await renderRunHtml(runFixture('tiny'), { generatedAt: '2026-11-25T12:00:00Z' }));
    const rates = page.locator('figure[data-chart="pass-rates"] svg');
    await expect(rates.isVisible()).resolves.toBe(true);
    const evalPoints = rates.locator('circle[data-series="eval-pass-at-1"]');
    expect(await evalPoints.count()).toBe(3);
    expect(await evalPoints.evaluateAll((dots) => dots.map((d) => Number(d.getAttribute('data-value')).toFixed(4)))).toEqual(['0.2917', '0.4583', '0.5417']);
    // Rising pass@1 must be drawn rising: screen y shrinks as the value grows.
    const ys = await evalPoints.evaluateAll((dots) => dots.map((d) => d.getBoundingClientRect().top));
    expect(ys[0]).toBeGreaterThan(ys[1]);
    expect(ys[1]).toBeGreaterThan(ys[2]);
    expect(await rates.locator('circle[data-series="train-pass-at-1"]').count()).toBe(2);
    expect(await rates.locator('polyline').count()).toBe(4);

    const groups = page.locator('figure[data-chart="eval-groups"]');
    expect(await groups.locator('circle[data-series="group-easy"]').count()).toBe(3);
    expect(await groups.locator('.legend').innerText()).toMatch(/easy\s*hard/);
    const bars = page.locator('figure[data-chart="survivors"] rect[data-series="survivors"]');
    expect(await bars.evaluateAll((rects) => rects.map((r) => r.getAttribute('data-value')))).toEqual(['4', '7']);
    const heights = await bars.evaluateAll((rects) => rects.map((r) => r.getBoundingClientRect().height));
    expect(heights[1]).toBeGreaterThan(heights[0]);

    const round1 = page.locator('#rounds tr[data-round="1"] td');
    const cells = await round1.allInnerTexts();
    expect(cells.slice(0, 3)).toEqual(['1', 'tiny-round-1', '43.8%']);
    expect(cells).toContain('45.8%');
    expect(cells).toContain('66.7%');
    expect(await page.locator('#ledger-eval tr.lost').getAttribute('data-problem')).toBe('e3');
    expect(await page.locator('#ledger-eval-totals').innerText()).toBe('6 problems: 6 solved at least once, 1 solved then lost, 0 never solved.');
    // Train: t1 and t3 solved in both rounds; t2 first solved in round 1; t4 only by rationalization.
    expect(await page.locator('#ledger-train-totals').innerText()).toBe('4 problems: 3 solved at least once, 0 solved then lost, 1 never solved.');
    expect(await page.locator('#ledger-train tr[data-problem="t4"] td').allInnerTexts()).toEqual(['t4', '8', '0', '0/4', '0/4', '-', '2', 'never solved']);
    expect(await page.locator('#comparison-pairs tr').count()).toBe(3);
    expect(await page.title()).toBe('starloop report: tiny');
  });

  it('shows the pass@k curve, the intervals and the problems that flipped', async () => {
    const page = await open('tiny-curve.html', await renderRunHtml(runFixture('tiny'), { generatedAt: '2026-11-25T12:00:00Z' }));
    const curve = page.locator('figure[data-chart="pass-at-k-eval"] svg');
    await expect(curve.isVisible()).resolves.toBe(true);
    // Round 1 eval: pass@1 11/24, pass@2 23/36, pass@4 5/6 (test/report/table.test.ts), drawn rising with k.
    const round1 = curve.locator('circle[data-series="round-1"]');
    expect(await round1.evaluateAll((dots) => dots.map((d) => [d.getAttribute('data-k'), Number(d.getAttribute('data-value')).toFixed(4)]))).toEqual([
      ['1', '0.4583'],
      ['2', '0.6389'],
      ['4', '0.8333'],
    ]);
    const ys = await round1.evaluateAll((dots) => dots.map((d) => d.getBoundingClientRect().top));
    expect(ys[0]).toBeGreaterThan(ys[1]);
    expect(ys[1]).toBeGreaterThan(ys[2]);
    expect(await page.locator('figure[data-chart="pass-at-k-eval"] .axis-title').textContent()).toBe('k');
    expect(await page.locator('#pass-at-curve tr[data-round="2"][data-split="eval"] td').allInnerTexts()).toEqual(['2', 'eval', '54.2%', '69.4%', '83.3%']);
    expect(await page.locator('#pass-at-curve thead th').allInnerTexts()).toEqual(['round', 'split', 'pass@1', 'pass@2', 'pass@4']);

    const headers = await page.locator('#rounds thead th').allInnerTexts();
    const ci = headers.indexOf('eval pass@1 95% CI');
    expect(ci).toBe(headers.indexOf('eval pass@1') + 1);
    expect(await page.locator('#rounds tr[data-round="1"] td').nth(ci).innerText()).toBe('[23.1%, 70.4%]');
    // Round 0's summary predates intervals: a dash, not an invented interval.
    expect(await page.locator('#rounds tr[data-round="0"] td').nth(ci).innerText()).toBe('-');

    const pairHeaders = await page.locator('#comparison-pairs thead th').allInnerTexts();
    expect(pairHeaders).toContain('McNemar p');
    // Round 2 vs round 0: e2, e4, e6 newly solved, e3 no longer; McNemar 3 vs 1: 2 · (1 + 4) / 16.
    const flips = page.locator('#comparison-flips tr[data-candidate="round 2"] td');
    expect(await flips.allInnerTexts()).toEqual(['round 2', 'round 0', 'e2, e4, e6', 'e3']);
    const round2 = await page.locator('#comparison-pairs tbody tr').nth(1).locator('td').allInnerTexts();
    expect(round2[pairHeaders.indexOf('McNemar p')]).toBe('0.625');
  });

  it('shows hostile text as text', async () => {
    const report = await readRunReport(runFixture('tiny'));
    const hostile = '<img src=x onerror="document.title=\'pwned\'">&<b>';
    report.rounds[0].model = hostile;
    const page = await open('hostile.html', renderHtmlReport(report, { generatedAt: 'now' }));
    expect(await page.locator('#rounds tr[data-round="0"] td').nth(1).innerText()).toBe(hostile);
    expect(await page.locator('img, b').count()).toBe(0);
    expect(await page.title()).toBe('starloop report: tiny');
  });

  it('loads nothing but the page itself', () => {
    expect(requested.length).toBeGreaterThan(0);
    expect(requested.filter((url) => !url.startsWith('file://'))).toEqual([]);
    expect(new Set(requested).size).toBe(opened);
  });
});
