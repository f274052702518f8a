import { afterAll, expect, test } from 'vitest';
import { z } from 'zod';
import { parseConfig } from '../../src/index.ts';
import { chooseSurvivors } from '../../src/pipeline/survivors.ts';
import { defineVerifier } from '../../src/verify/define.ts';
import { agreesWithMajority, majorityAnswers } from '../../src/pipeline/majority-filter.ts';
import type { Problem } from '../../src/schema/problem.ts';
import type { Sample } from '../../src/schema/sample.ts';
import { majorityVote, readAnswers } from '../../src/verify/read-answers.ts';
import { VerifierResolver } from '../../src/verify/resolver.ts';
import { createVerifierRegistry } from '../../verifiers/index.ts';

const registry = createVerifierRegistry();
afterAll(() => registry.dispose());
const numeric = new VerifierResolver(registry, 'numeric');

/** Both passes, as selection runs them: the votes from the samples streamed once, then the samples that agree. */
async function majorityFilter(problems: Problem[], samples: Sample[], resolver: VerifierResolver, minShare: number) {
  const majority = await majorityAnswers(problems, (async function* () { yield* samples; })(), resolver, minShare);
  const accepted = new Set<string>();
  for (const sample of samples) if (await agreesWithMajority(majority, sample, resolver)) accepted.add(sample.id);
  return { accepted, decided: majority.winners.size, unreadable: majority.unreadable, firstError: majority.firstError };
}

// No gold answers: the filter must never need one.
const problem = (id: string, verifier?: string): Problem => ({ id, prompt: `q ${id}`, split: 'train', meta: {}, ...(verifier ? { verifier } : {}) });
let next = 0;
const sample = (problemId: string, text: string, hinted = false): Sample => ({
  id: `s${next++}`, problemId, round: 0, phase: 'train', index: next, text, finishReason: 'stop',
  usage: { promptTokens: 1, completionTokens: 1 }, model: 'm', latencyMs: 1, cached: false, hinted,
});

test('answers are read the way the verifier reads them, without a gold answer', async () => {
  const read = await readAnswers(numeric, problem('p'), ['So it is 1,000 apples. The answer is 1,000.', '#### 1000', 'I cannot tell.', 'The answer is 0.']);
  expect(read.map((r) => r.answer)).toEqual(['1000', '1000', undefined, '0']);
});

test('a majority needs the top answer alone and at least the share of all samples', () => {
  expect(majorityVote(['5', '5', '7', undefined], 0.5)).toMatchObject({ winner: '5', votes: 2, samples: 4, share: 0.5 });
  expect(majorityVote(['5', '5', '7', undefined], 0.6)).toMatchObject({ reason: 'below share' });
  expect(majorityVote(['5', '5', '7', undefined], 0.6).winner).toBeUndefined();
  expect(majorityVote(['5', '7', '5', '7'], 0.1)).toMatchObject({ reason: 'tie' });
  expect(majorityVote([undefined, undefined], 0.1)).toMatchObject({ reason: 'no answers' });
});

test('the majority filter keeps the samples that gave their problem\'s majority answer, per problem', async () => {
  const a = [sample('a', 'The answer is 12.'), sample('a', '12'), sample('a', 'The answer is 13.'), sample('a', '#### 12', true)];
  const b = [sample('b', 'The answer is 4.'), sample('b', 'The answer is 5.')];
  const result = await majorityFilter([problem('a'), problem('b')], [...a, ...b], numeric, 0.5);
  expect([...result.accepted].sort()).toEqual([a[0].id, a[1].id].sort());
  expect(result).toMatchObject({ decided: 1, unreadable: 0 });
});

test('samples a verifier cannot read (code tests) cast no vote and are counted, never silently', async () => {
  const code = problem('c', 'python-tests');
  const result = await majorityFilter([code], [sample('c', 'def f(): return 1'), sample('c', 'def f(): return 1')], new VerifierResolver(registry, 'numeric'), 0.5);
  expect(result.accepted.size).toBe(0);
  expect(result.unreadable).toBe(2);
  expect(result.firstError).toMatch(/python-tests/);
});

test('a verifier that reads a sample differently the second time is named, not silently given other survivors', async () => {
  // Reads "7" the first time it sees a text, "8" after: pass 1 votes 7, pass 2 finds nobody saying 7.
  const seen = new Set<string>();
  const flaky = defineVerifier({
    id: 'flaky-reader', description: 'reads answers differently the second time', version: '1', options: z.object({}),
    verify: (_problem, candidate) => {
      const answer = seen.has(candidate) ? '8' : '7';
      seen.add(candidate);
      return { status: 'incorrect', score: 0, reason: 'read', extracted: answer };
    },
  });
  const flakyRegistry = createVerifierRegistry([flaky]);
  const logs: string[] = [];
  const own = [sample('f', 'one'), sample('f', 'two'), sample('f', 'three')];
  const config = parseConfig({ name: 'flaky', problems: { train: 'unused.jsonl' }, verifier: 'flaky-reader', select: { filter: 'majority' } });
  const chosen = await chooseSurvivors({
    config, round: 0, problems: [problem('f')], evalIds: new Set(),
    samples: async function* () { yield* own; },
    verdicts: async function* () {},
    correct: () => false, rejected: () => false, verifierOf: () => 'flaky-reader',
    resolver: new VerifierResolver(flakyRegistry, 'flaky-reader'), store: { readSurvivors: async () => [] },
    emit: (event) => { if (event.type === 'log') logs.push(event.message); },
  });
  expect(chosen.survivors).toEqual([]);
  expect(logs.join('\n')).toMatch(/warning: the majority answers had 3 votes, but 0 samples gave them when read again/);
});
