import { expect, test } from 'vitest';
import { z } from 'zod';
import { verifySamples } from '../../src/pipeline/verify.ts';
import type { Problem } from '../../src/schema/problem.ts';
import type { Sample } from '../../src/schema/sample.ts';
import type { VerdictRecord } from '../../src/schema/verdict.ts';
import { defineVerifier } from '../../src/verify/define.ts';
import { VerifierRegistry } from '../../src/verify/registry.ts';
import { VerifierResolver } from '../../src/verify/resolver.ts';

const problem: Problem = { id: 'p', prompt: 'q', answer: '1', meta: {} };
const sample = (i: number): Sample => ({
  id: `s${i}`, problemId: 'p', round: 0, phase: 'train', index: i, text: i === 4 ? 'slow' : 'fast', finishReason: 'stop',
  usage: { promptTokens: 1, completionTokens: 1 }, model: 'm', latencyMs: 1, cached: false, hinted: false,
});

test('each verdict is stored as soon as it is computed, so a kill loses only those still being computed', async () => {
  let release!: () => void;
  const slowDone = new Promise<void>((resolve) => (release = resolve));
  const verifier = defineVerifier({
    id: 'gated', description: 'slow for one sample', version: '1', options: z.object({}), timeoutMs: 60_000,
    async verify(_problem, candidate) {
      if (candidate === 'slow') await slowDone;
      return { status: 'correct', reason: candidate };
    },
  });
  const stored: VerdictRecord[] = [];
  const verifying = verifySamples({
    sink: { load: async () => new Map(), append: async (records) => void stored.push(...records) },
    round: 0, samples: Array.from({ length: 8 }, (_, i) => sample(i)), problems: new Map([['p', problem]]),
    resolver: new VerifierResolver(new VerifierRegistry([verifier]), 'gated'), concurrency: 8,
  });
  // Seven verdicts are done while the eighth still runs: all seven must already be on disk.
  const deadline = Date.now() + 10_000;
  while (stored.length < 7 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  expect(stored.map((v) => v.sampleId).sort()).toEqual(['s0', 's1', 's2', 's3', 's5', 's6', 's7']);
  release();
  expect((await verifying).map((v) => v.sampleId)).toEqual(['s0', 's1', 's2', 's3', 's4', 's5', 's6', 's7']);
  expect(stored).toHaveLength(8);
});
