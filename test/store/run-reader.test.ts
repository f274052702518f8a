import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileFormatError, RunStoreError } from '../../src/errors.ts';
import { readAllRunVerdicts, readRunReport, readRunVerdicts } from '../../src/store/run-reader.ts';
import { runFixture } from '../report/fixture.ts';

const scratch: string[] = [];
afterEach(async () => {
  await Promise.all(scratch.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function copyOfTinyRun(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'starloop-read-run-'));
  scratch.push(dir);
  await cp(runFixture('tiny'), dir, { recursive: true });
  return dir;
}

describe('readRunReport', () => {
  it('reads the name and every finished round in order, skipping a round in progress', async () => {
    const report = await readRunReport(runFixture('tiny'));
    expect(report.name).toBe('tiny');
    expect(report.rounds.map((r) => r.round)).toEqual([0, 1, 2]);
    expect(report.rounds[1].eval?.passAt1).toBeCloseTo(11 / 24, 12);
    expect(report.rounds[2].train).toBeUndefined();
  });

  it('says there is no run when the manifest is missing', async () => {
    const missing = runFixture('no-such-run');
    const error = await readRunReport(missing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunStoreError);
    expect((error as RunStoreError).code).toBe('RUN_NOT_FOUND');
    expect((error as Error).message).toContain(join(missing, 'manifest.json'));
  });

  it('names the summary file and key that do not parse', async () => {
    const dir = await copyOfTinyRun();
    const summary = join(dir, 'round-1', 'summary.json');
    await writeFile(summary, JSON.stringify({ round: 1, model: 'm', timings: {}, wallMs: 'slow' }));
    const error = await readRunReport(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileFormatError);
    expect((error as Error).message).toMatch(new RegExp(`${summary.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: wallMs: `));
  });

  it('names a manifest that is not JSON', async () => {
    const dir = await copyOfTinyRun();
    await writeFile(join(dir, 'manifest.json'), '{"name": ');
    await expect(readRunReport(dir)).rejects.toThrow(`run manifest ${join(dir, 'manifest.json')} is not valid JSON`);
  });

  it('rejects a summary filed under the wrong round', async () => {
    const dir = await copyOfTinyRun();
    await cp(join(dir, 'round-0', 'summary.json'), join(dir, 'round-1', 'summary.json'));
    await expect(readRunReport(dir)).rejects.toThrow(/says round 0, but its directory is round-1/);
  });
});

describe('readRunVerdicts', () => {
  it('reads one round and phase, and nothing for a phase that was not run', async () => {
    const evalVerdicts = await readRunVerdicts(runFixture('tiny'), 1, 'eval');
    expect(evalVerdicts).toHaveLength(24);
    expect(evalVerdicts.filter((v) => v.status === 'correct')).toHaveLength(11);
    expect(await readRunVerdicts(runFixture('tiny'), 2, 'train')).toEqual([]);
  });

  it('reads a phase across all round directories, the one in progress included', async () => {
    const all = await readAllRunVerdicts(runFixture('tiny'), 'eval');
    expect(all.map((v) => v.round).filter((r, i, a) => a.indexOf(r) === i)).toEqual([0, 1, 2, 3]);
  });

  it('reads a round of 150,000 verdicts (more than a call can take as spread arguments)', async () => {
    const dir = await copyOfTinyRun();
    const line = (i: number) =>
      JSON.stringify({ sampleId: `s${i}`, problemId: `p${i % 1000}`, round: 3, index: Math.floor(i / 1000), hinted: false, status: 'incorrect', score: 0, reason: '', verifier: 'numeric', durationMs: 0 });
    await writeFile(join(dir, 'round-3', 'eval-verdicts.jsonl'), `${Array.from({ length: 150_000 }, (_, i) => line(i)).join('\n')}\n`);
    const all = await readAllRunVerdicts(dir, 'eval');
    expect(all.filter((v) => v.round === 3)).toHaveLength(150_000);
  });
});
