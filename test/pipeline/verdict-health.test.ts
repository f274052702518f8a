import { describe, expect, it } from 'vitest';
import { VerifierFailedError } from '../../src/errors.ts';
import { computeSplitMetrics } from '../../src/metrics/split.ts';
import { tallyOf } from '../../src/metrics/tally.ts';
import { healthOf, refuseMostlyErrors, undecidedText, VerdictHealth, verifierFailure } from '../../src/pipeline/verdict-health.ts';
import type { VerdictRecord, VerdictStatus } from '../../src/schema/verdict.ts';

function verdict(status: VerdictStatus, index: number, extra: Partial<VerdictRecord> = {}): VerdictRecord {
  return { status, score: status === 'correct' ? 1 : 0, reason: status, durationMs: 1, sampleId: `s${index}`, problemId: `p${index % 2}`, round: 0, index, hinted: false, verifier: 'python-tests', ...extra };
}

describe('a stage whose verdicts are mostly errors', () => {
  it('is refused above half, not at half', () => {
    const half = [verdict('error', 0), verdict('error', 1), verdict('correct', 2), verdict('unparseable', 3)];
    expect(verifierFailure(half, { round: 0, stage: 'eval' })).toBeUndefined();
    const most = [...half, verdict('error', 4)];
    expect(verifierFailure(most, { round: 2, stage: 'verify' })).toMatch(/^round 2 verify: 3 of 5 verdicts are errors/);
    expect(verifierFailure([], { round: 0, stage: 'eval' })).toBeUndefined();
  });

  it('names the verifier that gave most errors and its most common reason, on one line', () => {
    const long = `sandbox failure: ${'x'.repeat(400)}\nTraceback (most recent call last):`;
    const verdicts = [
      verdict('error', 0, { verifier: 'math', reason: 'timed out' }),
      verdict('error', 1, { reason: long }),
      verdict('error', 2, { reason: long }),
      verdict('error', 3, { reason: 'other' }),
    ];
    const message = verifierFailure(verdicts, { round: 0, stage: 'eval' })!;
    expect(message).toContain("verifier 'python-tests' gave 3 of them, most often (2×): sandbox failure: xxx");
    expect(message).not.toContain('\n');
    expect(message.length).toBeLessThan(500);
    expect(() => refuseMostlyErrors(healthOf(verdicts), { round: 0, stage: 'eval' })).toThrow(VerifierFailedError);
    try {
      refuseMostlyErrors(healthOf(verdicts), { round: 0, stage: 'eval' });
    } catch (error) {
      expect((error as VerifierFailedError).code).toBe('VERIFY_FAILED');
    }
  });
});

describe('counts of verdicts that decided nothing', () => {
  it('sit beside passAt1 in a split, and both show in the stage end line even at zero', () => {
    const problems = [{ id: 'p0', prompt: 'a', meta: {} }, { id: 'p1', prompt: 'b', meta: {} }];
    const metrics = computeSplitMetrics(problems, [verdict('correct', 0), verdict('error', 1), verdict('unparseable', 2), verdict('unparseable', 3)], 2);
    expect(metrics).toMatchObject({ passAt1: 0.25, errors: 1, unparseable: 2 });
    expect(undecidedText(metrics)).toBe('unparseable 2  errors 1');
    expect(undecidedText({})).toBe('unparseable 0  errors 0');
  });
});

describe('counted as verdicts stream in', () => {
  it('keeps a bounded number of distinct reasons, and still names the most common one', () => {
    const health = new VerdictHealth();
    for (let i = 0; i < 5_000; i++) health.add({ status: 'error', verifier: 'python-tests', reason: i % 2 ? 'sandbox failure: bwrap missing' : `timed out after ${i} ms` });
    health.add({ status: 'unparseable', verifier: 'python-tests', reason: 'no code' });
    expect(health).toMatchObject({ total: 5_001, errors: 5_000, unparseable: 1 });
    expect(health.failure({ round: 1, stage: 'verify' })).toContain("verifier 'python-tests' gave 5000 of them, most often (2500×): sandbox failure: bwrap missing");
    expect(health.reasonsKept()).toBeLessThanOrEqual(16);
  });

  it('per problem, a tally counts errors and unparseable of its plain samples only', () => {
    const tally = tallyOf([verdict('error', 0), verdict('unparseable', 2), verdict('correct', 4), verdict('error', 6, { hinted: true }), verdict('error', 1)]);
    expect(tally.counts('p0')).toEqual({ n: 3, c: 1, errors: 1, unparseable: 1 });
    expect(tally.counts('p1')).toEqual({ n: 1, c: 0, errors: 1, unparseable: 0 });
  });
});
