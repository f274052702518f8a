import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { checkVerifierContract } from '../../src/verify/contract.ts';
import { defineVerifier, type VerdictResult } from '../../src/verify/define.ts';
import { command } from '../../verifiers/command/index.ts';
import { exactMatch } from '../../verifiers/exact-match/index.ts';
import { numeric } from '../../verifiers/numeric/index.ts';

function broken(verify: (candidate: string) => VerdictResult | Promise<VerdictResult>, timeoutMs = 500) {
  return defineVerifier({ id: 'broken', description: 'broken on purpose', version: '0', options: z.object({}), timeoutMs, verify: (_p, c) => verify(c) });
}

async function failed(verifier: ReturnType<typeof broken>) {
  const checks = await checkVerifierContract(verifier);
  return Object.fromEntries(checks.filter((c) => !c.ok).map((c) => [c.name, c.detail]));
}

describe('checkVerifierContract', () => {
  it('passes the exact-match and numeric built-ins with its default cases', async () => {
    for (const verifier of [exactMatch, numeric]) {
      const checks = await checkVerifierContract(verifier);
      expect(checks.filter((c) => !c.ok)).toEqual([]);
      expect(checks).toHaveLength(6);
    }
  });

  it('reports a verifier that throws, naming the input', async () => {
    const result = await failed(
      broken((c) => {
        if (c === '') throw new Error('empty input');
        return { status: 'incorrect', reason: 'no' };
      }),
    );
    expect(result['never-throws']).toMatch(/empty candidate: empty input/);
  });

  it('reports a verifier that outlives its time limit', async () => {
    const result = await failed(broken((c) => new Promise((r) => setTimeout(() => r({ status: 'incorrect', reason: 'late' }), c.length > 1000 ? 2000 : 0)), 300));
    expect(result['time-bounded']).toMatch(/over 300 ms: .*huge candidate/);
  });

  it('reports a verdict that changes between two identical calls', async () => {
    let calls = 0;
    const result = await failed(broken(() => ({ status: calls++ % 2 ? 'correct' : 'incorrect', reason: 'coin', score: 0 })));
    expect(result.deterministic).toMatch(/different verdicts/);
  });

  it('reports unparseable verdicts with credit and garbage that passes', async () => {
    const result = await failed(broken((c) => (c.trim() === '' ? { status: 'unparseable', score: 0.5, reason: 'hm' } : { status: 'correct', reason: 'yes' })));
    expect(result['unparseable-never-passes']).toMatch(/score 0.5/);
    expect(result['garbage-never-passes']).toMatch(/huge candidate \(correct: yes\)/);
  });

  it('reports a malformed verdict', async () => {
    const result = await failed(broken(() => ({ status: 'maybe', reason: 3 }) as unknown as VerdictResult));
    expect(result['well-formed']).toMatch(/bad verdict shape/);
  });

  it('uses the options a case gives (the command verifier needs a program)', async () => {
    const checks = await checkVerifierContract(command, [
      { problem: { id: 'p', prompt: 'q', answer: '42', meta: {} }, candidate: '42', options: { command: ['/bin/false'] } },
    ]);
    expect(checks.every((c) => c.ok)).toBe(true);
  });
});
