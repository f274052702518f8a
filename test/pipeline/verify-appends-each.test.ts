import { getEventListeners } from 'node:events';
import { expect, test } from 'vitest';
import { z } from 'zod';
import { startDraw } from '../../src/pipeline/sampling/draw.ts';
import { fixedPlan } from '../../src/pipeline/sampling/strategy.ts';
import type { Generation, GenerationRequest, Policy } from '../../src/policy/policy.ts';
import type { Problem } from '../../src/schema/problem.ts';
import type { Sample } from '../../src/schema/sample.ts';
import type { VerdictRecord } from '../../src/schema/verdict.ts';
import type { RecordSink } from '../../src/store/record-sink.ts';
import { defineVerifier } from '../../src/verify/define.ts';
import { VerifierRegistry } from '../../src/verify/registry.ts';
import { VerifierResolver } from '../../src/verify/resolver.ts';

const problem: Problem = { id: 'p', prompt: 'q', answer: '1', meta: {} };

/** A sink that keeps records in an array and lets the test see them as they are appended. */
function memorySink<T>(records: T[] = []): RecordSink<T> {
  return {
    async *scan() {
      yield* [...records];
    },
    load: async () => new Map(),
    append: async (more) => void records.push(...more),
    close: async () => undefined,
  };
}

/** Sample 4's text is 'slow'; the others 'fast'. */
const policy: Policy = {
  id: 'm',
  async *generate(requests: GenerationRequest[]): AsyncGenerator<Generation> {
    for (const request of requests) {
      for (const index of request.indices) {
        yield { key: request.key, index, text: index === 4 ? 'slow' : 'fast', finishReason: 'stop', usage: { promptTokens: 1, completionTokens: 1 }, model: 'm', latencyMs: 1 };
      }
    }
  },
};

test('each verdict is stored as soon as it is computed, while others are still being judged, so a kill loses only those', async () => {
  let release!: () => void;
  const slowDone = new Promise<void>((resolve) => (release = resolve));
  const verifier = defineVerifier({
    id: 'gated', description: 'slow for one sample', version: '1', options: z.object({}), timeoutMs: 60_000,
    async verify(_problem, candidate) {
      if (candidate === 'slow') await slowDone;
      return { status: 'correct', reason: candidate };
    },
  });
  const samples: Sample[] = [];
  const verdicts: VerdictRecord[] = [];
  const draw = startDraw({
    samples: memorySink(samples), verdicts: memorySink(verdicts), round: 0, phase: 'train', policy, problems: [problem],
    params: { temperature: 1, topP: 1, maxTokens: 8, seed: 0 }, render: () => ({ messages: [{ role: 'user', content: 'q' }], text: 'q' }),
    hinted: false, plan: fixedPlan(8), resolver: new VerifierResolver(new VerifierRegistry([verifier]), 'gated'), verifyConcurrency: 8,
  });
  // Seven verdicts are done while the eighth still runs: all seven must already be stored.
  const deadline = Date.now() + 10_000;
  while (verdicts.length < 7 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  expect(verdicts.map((v) => v.index).sort()).toEqual([0, 1, 2, 3, 5, 6, 7]);
  expect(samples).toHaveLength(8);
  release();
  const outcome = await draw.done;
  expect(verdicts).toHaveLength(8);
  expect(outcome.samples).toBe(8);
  expect(outcome.correct).toBe(8);
  // Each verdict names its sample by id, and every id is a stored sample's.
  expect(new Set(verdicts.map((v) => v.sampleId))).toEqual(new Set(samples.map((s) => s.id)));
});

test("a draw leaves no listener on the run's signal, however many stages share it", async () => {
  const verifier = defineVerifier({ id: 'yes', description: 'accepts', version: '1', options: z.object({}), verify: () => ({ status: 'correct', reason: '' }) });
  const signal = new AbortController().signal;
  for (let stage = 0; stage < 12; stage++) {
    await startDraw({
      samples: memorySink<Sample>(), verdicts: memorySink<VerdictRecord>(), round: stage, phase: 'train', policy, problems: [problem],
      params: { temperature: 1, topP: 1, maxTokens: 8, seed: 0 }, render: () => ({ messages: [{ role: 'user', content: 'q' }], text: 'q' }),
      hinted: false, plan: fixedPlan(2), resolver: new VerifierResolver(new VerifierRegistry([verifier]), 'yes'), verifyConcurrency: 2, signal,
    }).done;
  }
  // A run of many rounds shares one signal: one listener left per stage was a leak (and Node's MaxListenersExceededWarning).
  expect(getEventListeners(signal, 'abort')).toHaveLength(0);
});
