import { expect, test } from 'vitest';
import { buildPairs, DEFAULT_PAIRS, type PairInputs, preferenceLine } from '../../src/pipeline/pairs.ts';
import { OpenAIPreferenceLine, TrlPreferenceLine } from '../../src/schema/preference.ts';
import type { Problem } from '../../src/schema/problem.ts';
import type { Sample } from '../../src/schema/sample.ts';
import type { VerdictRecord, VerdictStatus } from '../../src/schema/verdict.ts';

const problem = (id: string): Problem => ({ id, prompt: `question ${id}`, answer: '1', meta: {} });

/** One train sample per entry: [problem, round, index, text, status, hinted?]. */
function judged(entries: [string, number, number, string, VerdictStatus, boolean?][]) {
  const samples: Sample[] = [];
  const verdicts = new Map<string, VerdictRecord>();
  for (const [problemId, round, index, text, status, hinted = false] of entries) {
    const id = `${problemId}-r${round}-${hinted ? 'h' : ''}${index}`;
    samples.push({ id, problemId, round, phase: 'train', index, text, finishReason: 'stop', usage: { promptTokens: 1, completionTokens: 1 }, model: 'm', latencyMs: 0, cached: false, hinted });
    verdicts.set(id, { sampleId: id, problemId, round, index, hinted, verifier: 'numeric', status, score: status === 'correct' ? 1 : 0, reason: '', durationMs: 0 });
  }
  return { samples, verdicts };
}

function inputs(overrides: Partial<PairInputs> & Pick<PairInputs, 'samples' | 'verdicts'>): PairInputs {
  return {
    problems: [problem('a'), problem('b')],
    evalIds: new Set(),
    render: (p) => [{ role: 'user', content: p.prompt as string }],
    options: DEFAULT_PAIRS,
    seed: 7,
    ...overrides,
  };
}

test('a pair is a correct and an incorrect answer of one problem and round; hinted answers, errors and eval problems never pair', () => {
  const { samples, verdicts } = judged([
    ['a', 0, 0, 'wrong 2', 'incorrect'],
    ['a', 0, 1, 'right', 'correct'],
    ['a', 0, 2, 'no answer', 'unparseable'],
    ['a', 0, 0, 'hinted right', 'correct', true],
    ['a', 1, 0, 'right again', 'correct'],
    ['a', 1, 1, 'crashed', 'error'],
    ['b', 0, 0, 'right b', 'correct'],
    ['b', 0, 1, 'wrong b', 'incorrect'],
  ]);
  const pairs = buildPairs(inputs({ samples, verdicts }));
  expect(pairs.map((p) => [p.problemId, p.round, p.chosen.text, p.rejected.text, p.rejectedStatus])).toEqual([
    ['a', 0, 'right', 'wrong 2', 'incorrect'],
    ['b', 0, 'right b', 'wrong b', 'incorrect'],
  ]);
  expect(buildPairs(inputs({ samples, verdicts, evalIds: new Set(['b']) })).map((p) => p.problemId)).toEqual(['a']);
  // Unparseable answers may be rejected when listed, but a has one distinct correct answer in round 0, so one pair.
  const withUnparseable = buildPairs(inputs({ samples, verdicts, options: { ...DEFAULT_PAIRS, maxPerProblem: 3, rejected: ['incorrect', 'unparseable'] } }));
  expect(withUnparseable.filter((p) => p.problemId === 'a').map((p) => p.rejected.text)).toEqual(['wrong 2']);
});

test('maxPerProblem pairs distinct answers, each used once; pick: random is reproducible from the seed', () => {
  const { samples, verdicts } = judged([
    ...[0, 1, 2, 3].map((i): [string, number, number, string, VerdictStatus] => ['a', 0, i, `right ${i}`, 'correct']),
    ...[4, 5, 6, 7].map((i): [string, number, number, string, VerdictStatus] => ['a', 0, i, `wrong ${i}`, 'incorrect']),
    ['a', 0, 8, 'WRONG   4', 'incorrect'],
  ]);
  const first = buildPairs(inputs({ samples, verdicts, options: { ...DEFAULT_PAIRS, maxPerProblem: 9 } }));
  expect(first.map((p) => [p.chosen.text, p.rejected.text])).toEqual([
    ['right 0', 'wrong 4'],
    ['right 1', 'wrong 5'],
    ['right 2', 'wrong 6'],
    ['right 3', 'wrong 7'],
  ]);
  const random = (seed: number) => buildPairs(inputs({ samples, verdicts, seed, options: { maxPerProblem: 2, pick: 'random', rejected: ['incorrect'] } }));
  expect(random(7)).toEqual(random(7));
  const seeds = [1, 2, 3, 4, 5, 6, 7, 8].map((seed) => random(seed).map((p) => `${p.chosen.id}/${p.rejected.id}`).join(' '));
  expect(new Set(seeds).size).toBeGreaterThan(1);
});

test('both formats carry the same prompt and answers and parse with their schemas', () => {
  const { samples, verdicts } = judged([
    ['a', 0, 0, 'right', 'correct'],
    ['a', 0, 1, 'wrong', 'incorrect'],
  ]);
  const [pair] = buildPairs(inputs({ samples, verdicts, render: () => [{ role: 'system', content: 'be brief' }, { role: 'user', content: 'question a' }] }));
  const trl = TrlPreferenceLine.parse(preferenceLine(pair, 'trl'));
  const openai = OpenAIPreferenceLine.parse(preferenceLine(pair, 'openai'));
  expect(trl).toEqual({
    prompt: [{ role: 'system', content: 'be brief' }, { role: 'user', content: 'question a' }],
    chosen: [{ role: 'assistant', content: 'right' }],
    rejected: [{ role: 'assistant', content: 'wrong' }],
  });
  expect(openai).toEqual({ input: { messages: trl.prompt }, preferred_output: trl.chosen, non_preferred_output: trl.rejected });
  expect(TrlPreferenceLine.safeParse({ ...trl, prompt: [{ role: 'assistant', content: 'x' }] }).success).toBe(false);
});
