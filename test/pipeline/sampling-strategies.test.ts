import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { z } from 'zod';
import { Budget } from '../../src/pipeline/budget.ts';
import { type DrawOptions, type DrawOutcome, startDraw } from '../../src/pipeline/sampling/draw.ts';
import { fixedPlan, type SamplingPlan } from '../../src/pipeline/sampling/strategy.ts';
import type { Generation, GenerationRequest, Policy } from '../../src/policy/policy.ts';
import { type Problem, problemText } from '../../src/schema/problem.ts';
import { Sample } from '../../src/schema/sample.ts';
import { VerdictRecord } from '../../src/schema/verdict.ts';
import { JsonlRecordSink } from '../../src/store/record-sink.ts';
import { defineVerifier } from '../../src/verify/define.ts';
import { VerifierRegistry } from '../../src/verify/registry.ts';
import { VerifierResolver } from '../../src/verify/resolver.ts';

/** Which sample indices of each problem the policy answers correctly. */
const CORRECT_AT: Record<string, number[]> = { p0: [0, 1, 2, 3, 4, 5], p1: [1, 2, 3], p2: [], p3: [2, 5], p4: [0, 3] };
const problems: Problem[] = Object.keys(CORRECT_AT).map((id) => ({ id, prompt: `question ${id}`, answer: 'right', meta: {} }));

/** An in-process policy that answers out of order (last request first) and counts the samples asked of it. */
function countingPolicy(asked: Map<string, number>, options: { stopAfter?: number; abort?: AbortController } = {}): Policy {
  let given = 0;
  return {
    id: 'm',
    async *generate(requests: GenerationRequest[]): AsyncGenerator<Generation> {
      for (const request of [...requests].reverse()) {
        for (const index of [...request.indices].reverse()) {
          if (options.stopAfter !== undefined && given >= options.stopAfter) {
            options.abort?.abort();
            return;
          }
          given++;
          asked.set(request.key, (asked.get(request.key) ?? 0) + 1);
          const text = CORRECT_AT[request.key].includes(index) ? 'right' : 'wrong';
          yield { key: request.key, index, text, finishReason: 'stop', usage: { promptTokens: 10, completionTokens: 5 }, model: 'm', latencyMs: 1 };
        }
      }
    },
  };
}

const verifier = defineVerifier({
  id: 'same', description: 'text equals the answer', version: '1', options: z.object({}),
  verify: (problem, candidate) => ({ status: candidate === problem.answer ? 'correct' : 'incorrect', reason: '', extracted: candidate }),
});

async function draw(dir: string, plan: SamplingPlan, policy: Policy, extra: Pick<DrawOptions, 'budget' | 'signal' | 'estimate'> = {}): Promise<DrawOutcome> {
  return startDraw({
    samples: new JsonlRecordSink(join(dir, 'samples.jsonl'), Sample, (s) => s.id),
    verdicts: new JsonlRecordSink(join(dir, 'verdicts.jsonl'), VerdictRecord, (v) => v.sampleId),
    round: 0, phase: 'train', policy, problems, params: { temperature: 1, topP: 1, maxTokens: 5, seed: 0 },
    render: (p) => ({ messages: [{ role: 'user', content: problemText(p) }], text: problemText(p) }), hinted: false, plan,
    resolver: new VerifierResolver(new VerifierRegistry([verifier]), 'same'), verifyConcurrency: 3, ...extra,
  }).done;
}

const perProblem = async (dir: string) => {
  const counts: Record<string, number> = {};
  for (const line of (await readFile(join(dir, 'samples.jsonl'), 'utf8')).trim().split('\n')) {
    const id = (JSON.parse(line) as Sample).problemId;
    counts[id] = (counts[id] ?? 0) + 1;
  }
  return counts;
};

const plans: Array<[string, SamplingPlan, Record<string, number>]> = [
  ['fixed k=3', fixedPlan(3), { p0: 3, p1: 3, p2: 3, p3: 3, p4: 3 }],
  // In index order: stop at the first correct sample, at most k.
  ['stop-after-correct c=1 k=4', { strategy: 'stop-after-correct', k: 4, correct: 1, maxK: 4 }, { p0: 1, p1: 2, p2: 4, p3: 3, p4: 1 }],
  // Until 2 correct, at most maxK=6.
  ['uniform c=2 maxK=6', { strategy: 'uniform', k: 2, correct: 2, maxK: 6 }, { p0: 2, p1: 3, p2: 6, p3: 6, p4: 4 }],
  // Probe k=2: fail rates p0 0, p1 .5, p2 1, p3 1, p4 .5 → wanted correct round(4·f/1), at least 1: 1, 2, 4, 4, 2; at most 6 samples.
  ['prop2diff c=4 k=2 maxK=6', { strategy: 'prop2diff', k: 2, correct: 4, maxK: 6 }, { p0: 2, p1: 3, p2: 6, p3: 6, p4: 4 }],
];

test.each(plans)('%s asks for exactly the planned samples per problem, whatever order answers arrive in', async (_, plan, expected) => {
  const dir = await mkdtemp(join(tmpdir(), 'starloop-strategy-'));
  const asked = new Map<string, number>();
  const outcome = await draw(dir, plan, countingPolicy(asked));
  expect(Object.fromEntries(asked)).toEqual(expected);
  expect(await perProblem(dir)).toEqual(expected);
  const total = Object.values(expected).reduce((a, b) => a + b, 0);
  expect(outcome.samples).toBe(total);
  expect(outcome.stats.samples).toBe(total);
  expect(outcome.stats.samplesPerProblem.max).toBe(Math.max(...Object.values(expected)));
});

test.each(plans)('%s: interrupted, with its last verdicts lost, then resumed, decides exactly as an uninterrupted draw', async (_, plan, expected) => {
  const dir = await mkdtemp(join(tmpdir(), 'starloop-strategy-resume-'));
  const abort = new AbortController();
  await draw(dir, plan, countingPolicy(new Map(), { stopAfter: 6, abort }), { signal: abort.signal }).catch(() => undefined);
  // As after kill -9: samples stored whose verdicts never were, and a torn last line.
  const verdictsPath = join(dir, 'verdicts.jsonl');
  const lines = (await readFile(verdictsPath, 'utf8')).trim().split('\n');
  await writeFile(verdictsPath, `${lines.slice(0, -2).join('\n')}\n{"sampleId":"tor`);
  const storedBefore = await perProblem(dir);

  const asked = new Map<string, number>();
  const outcome = await draw(dir, plan, countingPolicy(asked));
  expect(await perProblem(dir)).toEqual(expected);
  // Nothing stored was asked for again.
  for (const [id, count] of Object.entries(expected)) expect((asked.get(id) ?? 0) + (storedBefore[id] ?? 0)).toBe(count);
  const verdicts = (await readFile(verdictsPath, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as VerdictRecord);
  expect(new Set(verdicts.map((v) => v.sampleId)).size).toBe(verdicts.length);
  expect(verdicts).toHaveLength(outcome.samples);
});

test('a sample cap stops the draw at the cap with everything drawn stored; a raised cap continues to the plan', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'starloop-budget-'));
  const plan = fixedPlan(3);
  const capped = await draw(dir, plan, countingPolicy(new Map()), { budget: new Budget({ maxSamples: 7 }) });
  expect(capped.budgetReached).toBe(true);
  expect(capped.samples).toBe(7);
  const tokenCapped = await mkdtemp(join(tmpdir(), 'starloop-budget-tokens-'));
  // Each sample is reserved at its most (10 prompt tokens + maxTokens 5) before it is asked for: 6 fit under 100.
  const estimate = () => ({ promptTokens: 10, completionTokens: 5 });
  const byTokens = await draw(tokenCapped, plan, countingPolicy(new Map()), { budget: new Budget({ maxTokens: 100 }), estimate });
  expect(byTokens.budgetReached).toBe(true);
  expect(byTokens.samples).toBe(6);

  const spent = { samples: 7, promptTokens: 70, completionTokens: 35, costUsd: 0 };
  const asked = new Map<string, number>();
  const resumed = await draw(dir, plan, countingPolicy(asked), { budget: new Budget({ maxSamples: 100 }, spent) });
  expect(resumed.budgetReached).toBe(false);
  expect(resumed.samples).toBe(15);
  expect([...asked.values()].reduce((a, b) => a + b, 0)).toBe(8);
});
