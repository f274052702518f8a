import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkVerifierContract } from '../../src/verify/contract.ts';
import { runGoldenCases } from '../../src/verify/golden.ts';
import { loadVerifierPlugin } from '../../src/verify/plugin.ts';

const repoRoot = resolve(import.meta.dirname, '../..');

describe('the example physical-quantity plug-in', () => {
  it("loads by path, importing defineVerifier from 'starloop', and passes its own golden cases", async () => {
    const verifier = await loadVerifierPlugin('./examples/verifiers/physical-quantity.ts', repoRoot);
    expect(verifier.id).toBe('physical-quantity');
    const report = await runGoldenCases(verifier, resolve(repoRoot, 'examples/verifiers/physical-quantity.cases.jsonl'));
    expect(report.results.filter((r) => !r.passed)).toEqual([]);
    expect(report.summary.total).toBeGreaterThanOrEqual(10);
  });

  it('holds the verifier contract', async () => {
    const verifier = await loadVerifierPlugin('./examples/verifiers/physical-quantity.ts', repoRoot);
    const checks = await checkVerifierContract(verifier, [
      { problem: { id: 'v', prompt: 'speed?', answer: '10 m/s', meta: {} }, candidate: 'The answer is 36 km/h' },
      { problem: { id: 'none', prompt: 'anything', meta: {} }, candidate: '5 m' },
    ]);
    expect(checks.filter((c) => !c.ok)).toEqual([]);
  });
});
