import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileFormatError, VerifierError } from '../../src/errors.ts';
import { runGoldenCases } from '../../src/verify/golden.ts';
import { numeric } from '../../verifiers/numeric/index.ts';

const fixtures = resolve(import.meta.dirname, '../fixtures/verifiers');

describe('runGoldenCases', () => {
  it('judges each case and reports which expectations failed, by file:line', async () => {
    const file = resolve(fixtures, 'golden-numeric.jsonl');
    const report = await runGoldenCases(numeric, file);
    expect(report.summary).toEqual({ total: 6, passed: 5, failed: 1 });
    const failed = report.results.filter((r) => !r.passed);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ where: `${file}:7`, name: 'expectation the verifier does not meet', expected: 'correct' });
    expect(failed[0].verdict.status).toBe('unparseable');
  });

  it('applies config options, then the problem’s verifier options, then the case’s', async () => {
    const report = await runGoldenCases(numeric, resolve(fixtures, 'golden-numeric.jsonl'), { options: { relativeTolerance: 0.5 } });
    // relativeTolerance 0.5 from the config makes 10 vs 9 equal, so "wrong number" now fails its expectation.
    expect(report.results.find((r) => r.name === 'wrong number')?.passed).toBe(false);
    expect(report.results.find((r) => r.name === 'case options override')?.verdict.status).toBe('correct');
  });

  it('names file and line of a case that does not parse', async () => {
    const file = resolve(fixtures, 'golden-bad-line.jsonl');
    await expect(runGoldenCases(numeric, file)).rejects.toThrow(FileFormatError);
    await expect(runGoldenCases(numeric, file)).rejects.toThrow(`${file}:2: expected:`);
  });

  it('names file and line of a case whose options the verifier rejects', async () => {
    const file = resolve(fixtures, 'golden-numeric.jsonl');
    await expect(runGoldenCases(numeric, file, { options: { absoluteTolerance: 'tiny' } })).rejects.toThrow(VerifierError);
    await expect(runGoldenCases(numeric, file, { options: { absoluteTolerance: 'tiny' } })).rejects.toThrow(`${file}:1`);
  });

  it('reports a missing file', async () => {
    await expect(runGoldenCases(numeric, resolve(fixtures, 'absent.jsonl'))).rejects.toThrow(/does not exist/);
  });
});
