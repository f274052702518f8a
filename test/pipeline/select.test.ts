import { expect, test } from 'vitest';
import { selectSurvivors } from '../../src/pipeline/select.ts';
import type { Problem } from '../../src/schema/problem.ts';
import type { Sample } from '../../src/schema/sample.ts';
import type { VerdictRecord } from '../../src/schema/verdict.ts';

const problem = (id: string, split: 'train' | 'eval' = 'train'): Problem => ({ id, prompt: `q ${id}`, answer: '1', split, meta: {} });
let next = 0;
function sample(problemId: string, index: number, text: string, hinted = false): Sample {
  return {
    id: `s${next++}`, problemId, round: 0, phase: 'train', index, text, finishReason: 'stop',
    usage: { promptTokens: 1, completionTokens: 1 }, model: 'm', latencyMs: 1, cached: false, hinted,
  };
}
const verdict = (s: Sample, status: VerdictRecord['status']): VerdictRecord => ({
  sampleId: s.id, problemId: s.problemId, round: 0, index: s.index, hinted: s.hinted, verifier: 'numeric',
  status, score: status === 'correct' ? 1 : 0, reason: '', durationMs: 1,
});

test('keeps distinct correct samples per problem, capped, in index order', () => {
  const samples = [sample('a', 0, 'The answer is 1.'), sample('a', 1, 'the  answer is 1.'), sample('a', 2, 'So: 1'), sample('a', 3, 'One. 1'), sample('a', 4, 'wrong 2')];
  const verdicts = new Map(samples.map((s, i) => [s.id, verdict(s, i < 4 ? 'correct' : 'incorrect')]));
  const base = { problems: [problem('a')], evalIds: new Set<string>(), samples, verdicts, rejected: new Set<string>() };
  expect(selectSurvivors({ ...base, maxPerProblem: 2, dedupe: 'normalized' }).map((s) => s.index)).toEqual([0, 2]);
  expect(selectSurvivors({ ...base, maxPerProblem: 4, dedupe: 'exact' }).map((s) => s.index)).toEqual([0, 1, 2, 3]);
});

test('rationalizations are used only where no unhinted sample was correct, and hint-quoting ones never', () => {
  const plain = sample('a', 0, 'The answer is 1.');
  const hintedA = sample('a', 0, 'Because 1.', true);
  const hintedB = sample('b', 0, 'Reasoned: 1.', true);
  const quoting = sample('b', 1, 'The hint says 1.', true);
  const samples = [plain, hintedA, hintedB, quoting];
  const verdicts = new Map(samples.map((s) => [s.id, verdict(s, 'correct')]));
  const survivors = selectSurvivors({
    problems: [problem('a'), problem('b')], evalIds: new Set(), samples, verdicts, rejected: new Set([quoting.id]), maxPerProblem: 4, dedupe: 'normalized',
  });
  expect(survivors.map((s) => [s.problemId, s.hinted, s.text])).toEqual([
    ['a', false, 'The answer is 1.'],
    ['b', true, 'Reasoned: 1.'],
  ]);
});

test('an eval problem never reaches the training set, even if it is in the train file', () => {
  const s = sample('e', 0, 'The answer is 1.');
  const survivors = selectSurvivors({
    problems: [problem('e')], evalIds: new Set(['e']), samples: [s], verdicts: new Map([[s.id, verdict(s, 'correct')]]),
    rejected: new Set(), maxPerProblem: 4, dedupe: 'none',
  });
  expect(survivors).toEqual([]);
});
