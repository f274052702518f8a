import { join } from 'node:path';
import { expect, test } from 'vitest';
import { Provenance } from '../../src/schema/dataset.ts';
import { RunReport } from '../../src/schema/summary.ts';
import { readJsonl } from '../../src/store/jsonl.ts';
import { runCli, tempDir } from './cli.ts';

test('--control trains on as many gold easy examples as the survivors, instead of the survivors', async () => {
  const runDir = join(await tempDir(), 'control');
  const result = await runCli(['run', '--control', '--out', runDir, '--rounds', '1', '--set', 'problems.limit=30', '--k', '4', '--set', 'eval.k=2', '--quiet', '--json']);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const report = RunReport.parse(JSON.parse(result.stdout));
  const provenance = await readJsonl(join(runDir, 'round-0', 'dataset.provenance.jsonl'), Provenance);
  expect(provenance.length).toBe(report.rounds[0].train!.survivors);
  expect(provenance.every((p) => p.source === 'gold-control')).toBe(true);
});
