import { expect, test } from 'vitest';
import { equationKey, equationList } from '../../src/pipeline/equations.ts';
import { selectSurvivors } from '../../src/pipeline/select.ts';
import { poolSurvivors } from '../../src/pipeline/survivors.ts';
import type { Survivor } from '../../src/schema/dataset.ts';
import type { Problem } from '../../src/schema/problem.ts';
import type { Sample } from '../../src/schema/sample.ts';
import type { VerdictRecord } from '../../src/schema/verdict.ts';

const problem = (id: string): Problem => ({ id, prompt: `q ${id}`, answer: '72', split: 'train', meta: {} });
let next = 0;
function sample(problemId: string, index: number, text: string): Sample {
  return {
    id: `s${next++}`, problemId, round: 0, phase: 'train', index, text, finishReason: 'stop',
    usage: { promptTokens: 1, completionTokens: 1 }, model: 'teacher-model', latencyMs: 1, cached: false, hinted: false,
  };
}
const verdict = (s: Sample, status: VerdictRecord['status']): VerdictRecord => ({
  sampleId: s.id, problemId: s.problemId, round: 0, index: s.index, hinted: false, verifier: 'numeric',
  status, score: status === 'correct' ? 1 : 0, reason: '', durationMs: 1,
});

test('equation lists: GSM8K annotations first, else equations written out, in a canonical spelling', () => {
  expect(equationList('Natalia sold 48/2 = <<48/2=24>>24 clips in May. 48+24 = <<48+24=72>>72 in all. #### 72')).toEqual(['48/2=24', '48+24=72']);
  expect(equationList('She sold 48 / 2 = 24 in May, then 48 + 24 = 72 altogether. The answer is 72.')).toEqual(['48/2=24', '48+24=72']);
  expect(equationList('It costs $1,200 × 3 = $3,600.')).toEqual(['1200*3=3600']);
  expect(equationList('May had half of April, so 24, and 72 in all.')).toEqual([]);
  // A number alone on the left is a statement, not an equation.
  expect(equationList('x = 5, so the answer is 5')).toEqual([]);
});

test('select.dedupe equations keeps one path per distinct equation list, as RFT does', () => {
  const texts = [
    'Half of 48 is 48/2 = 24. Then 48 + 24 = 72. The answer is 72.',
    'In May: 48 / 2 = 24 clips. Total: 48 + 24 = 72. The answer is 72.',
    'Total first: 48 + 24 = 72, since 48/2 = 24. The answer is 72.',
    'Natalia sold 24 in May and 72 in all. The answer is 72.',
    'Altogether 72. The answer is 72.',
  ];
  const samples = texts.map((text, i) => sample('a', i, text));
  const verdicts = new Map(samples.map((s) => [s.id, verdict(s, 'correct')]));
  const chosen = selectSurvivors({ problems: [problem('a')], evalIds: new Set(), samples, verdicts, rejected: new Set(), maxPerProblem: 10, dedupe: 'equations' });
  // 0 and 1 share [48/2=24, 48+24=72]; 2 has the same equations in another order; 3 and 4 have none.
  expect(chosen.map((s) => s.index)).toEqual([0, 2, 3]);
  expect(equationKey(texts[0])).toBe('48/2=24|48+24=72');
  // Normalized text would have kept all five.
  expect(selectSurvivors({ problems: [problem('a')], evalIds: new Set(), samples, verdicts, rejected: new Set(), maxPerProblem: 10, dedupe: 'normalized' })).toHaveLength(5);
});

test('select.filter none keeps unverified samples and says so; an accepted set keeps exactly those', () => {
  const samples = [sample('a', 0, 'The answer is 71.'), sample('a', 1, 'The answer is 72.'), sample('a', 2, 'no answer')];
  const verdicts = new Map([
    [samples[0].id, verdict(samples[0], 'incorrect')],
    [samples[1].id, verdict(samples[1], 'correct')],
    [samples[2].id, verdict(samples[2], 'unparseable')],
  ]);
  const base = { problems: [problem('a')], evalIds: new Set<string>(), samples, verdicts, rejected: new Set<string>(), maxPerProblem: 8, dedupe: 'none' as const };
  expect(selectSurvivors(base).map((s) => s.index)).toEqual([1]);
  const imitation = selectSurvivors({ ...base, filter: 'none' });
  expect(imitation.map((s) => [s.index, s.status, s.model])).toEqual([[0, 'incorrect', 'teacher-model'], [1, 'correct', 'teacher-model'], [2, 'unparseable', 'teacher-model']]);
  expect(selectSurvivors({ ...base, filter: { accepted: new Set([samples[0].id]) } }).map((s) => s.index)).toEqual([0]);
});

test('pooling keeps every round\'s distinct survivors, the earliest of duplicates', () => {
  const survivor = (round: number, problemId: string, text: string): Survivor => ({ problemId, sampleId: `r${round}-${problemId}-${text}`, round, index: 0, hinted: false, text, verifier: 'numeric' });
  const pooled = poolSurvivors([survivor(0, 'a', 'A 1'), survivor(0, 'b', 'B 1'), survivor(1, 'a', 'a  1'), survivor(1, 'a', 'A 2'), survivor(1, 'c', 'C')], 'normalized');
  expect(pooled.map((s) => s.sampleId)).toEqual(['r0-a-A 1', 'r0-b-B 1', 'r1-a-A 2', 'r1-c-C']);
});
