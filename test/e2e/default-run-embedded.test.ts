import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { RunReport } from '../../src/schema/summary.ts';
import { runCli, tempDir } from './cli.ts';

test('starloop run with no config runs the offline loop on the embedded model and trains a new checkpoint', async () => {
  const runDir = join(await tempDir(), 'run');
  // The README's main command, made small: 1 round, 30 problems per split, fewer samples.
  const result = await runCli(['run', '--out', runDir, '--rounds', '1', '--set', 'problems.limit=30', '--k', '4', '--set', 'eval.k=2', '--quiet', '--json']);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const report = RunReport.parse(JSON.parse(result.stdout));
  expect(report.rounds).toHaveLength(2);
  expect(report.rounds[0].model).toMatch(/^embedded:/);
  expect(report.rounds[1].model).toMatch(/^embedded:/);
  expect(report.rounds[1].model).not.toBe(report.rounds[0].model);
  expect(report.rounds[0].train!.samples).toBe(120);
  expect(report.rounds[0].eval!.samples).toBe(60);
  expect(Object.keys(report.rounds[0].eval!.byGroup ?? {}).length).toBeGreaterThan(0);
  expect(existsSync(join(runDir, 'round-0', 'trainer'))).toBe(true);
});
