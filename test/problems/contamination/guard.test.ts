import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.ts';
import { findContaminatedDatasetLines, findContaminatedProblems } from '../../../src/problems/contamination/guard.ts';
import { loadProblems } from '../../../src/problems/load.ts';
import type { Problem } from '../../../src/schema/problem.ts';

const problem = (id: string, prompt: string, answer?: string): Problem => ({ id, prompt, meta: {}, ...(answer ? { answer } : {}) });

// 22 tokens: maria has 12 red apples and gives 5 of them to her brother on monday how many apples does maria have left
const MARIA = 'Maria has 12 red apples and gives 5 of them to her brother on Monday. How many apples does Maria have left?';
const evalSet = [problem('eval-maria', MARIA), problem('eval-other', 'A train leaves at 3 pm and travels 120 km at 60 km per hour. When does it arrive?')];

describe('findContaminatedProblems', () => {
  it('finds an exact copy under another id, whatever its case, spacing and punctuation', () => {
    const train = [problem('t-copy', '  maria HAS 12 red apples, and gives 5 of them to her brother on monday -- how many apples does maria have left  '), problem('t-clean', 'Sam has 3 pears.')];
    const report = findContaminatedProblems(train, evalSet);
    expect(report.checked).toBe(2);
    expect(report.contaminated).toEqual([{ key: 't-copy', matches: [{ evalId: 'eval-maria', kind: 'exact', score: 1 }] }]);
  });

  it('finds a near duplicate with a few words changed, scored by the share of the eval text it covers', () => {
    // "red" → "green" (token 3) and "brother" → "sister" (token 12): the 8-grams that avoid both
    // start at 4 (tokens 4–11) and at 13 and 14 (tokens 13–21): 17 of 22 tokens covered.
    const train = [problem('t-near', MARIA.replace('red', 'green').replace('brother', 'sister'))];
    const [item] = findContaminatedProblems(train, evalSet).contaminated;
    expect(item.key).toBe('t-near');
    expect(item.matches).toHaveLength(1);
    expect(item.matches[0]).toMatchObject({ evalId: 'eval-maria', kind: 'ngram', n: 8 });
    expect(item.matches[0].score).toBeCloseTo(17 / 22, 12);
  });

  it('finds an eval problem inside a longer train problem', () => {
    const train = [problem('t-inside', `Read this story first. ${MARIA} Answer in words.`)];
    expect(findContaminatedProblems(train, evalSet).contaminated[0].matches[0]).toMatchObject({ evalId: 'eval-maria', kind: 'ngram', score: 1 });
  });

  it('does not call a problem with different numbers a copy', () => {
    const train = [problem('t-numbers', MARIA.replace('12', '13'))];
    expect(findContaminatedProblems([problem('t', '3 apples')], [problem('e', '4 apples')]).contaminated).toEqual([]);
    // Another problem from the same template: different answer, not a copy by default…
    expect(findContaminatedProblems(train, evalSet).contaminated).toEqual([]);
    // …and a near duplicate (never an exact one) when numbers are not required to match.
    const [item] = findContaminatedProblems(train, evalSet, { sameNumbers: false }).contaminated;
    expect(item.matches[0]).toMatchObject({ evalId: 'eval-maria', kind: 'ngram' });
    // The 8-grams avoiding token 2 start at 3..14: tokens 3–21, 19 of 22.
    expect(item.matches[0].score).toBeCloseTo(19 / 22, 12);
  });

  it('does not take swapped numbers for the same problem', () => {
    const evalDrive = problem('e', 'Quinn drives at 60 km per hour for 4 hours, then at 55 km per hour for 3 more hours. How far does Quinn drive?');
    const swapped = problem('t', 'Quinn drives at 55 km per hour for 4 hours, then at 60 km per hour for 3 more hours. How far does Quinn drive?');
    expect(findContaminatedProblems([swapped], [evalDrive]).contaminated).toEqual([]);
  });

  it('matches an eval problem shorter than n only whole, and one shorter than minTokens only exactly', () => {
    const short = [problem('e-sum', '05800+83970='), problem('e-tiny', 'Compute 7')];
    const train = [
      problem('t-contains', 'Warm up: 05800+83970= then go on.'),
      problem('t-part', '05800+83971='),
      problem('t-tiny-inside', 'Compute 7 times 8'),
      problem('t-tiny-copy', 'compute 7.'),
    ];
    const report = findContaminatedProblems(train, short);
    expect(report.exactOnly).toEqual(['e-tiny']);
    expect(report.contaminated).toEqual([
      { key: 't-contains', matches: [{ evalId: 'e-sum', kind: 'ngram', score: 1, n: 4 }] },
      { key: 't-tiny-copy', matches: [{ evalId: 'e-tiny', kind: 'exact', score: 1 }] },
    ]);
  });

  it('raises its bar with the threshold', () => {
    const train = [problem('t-near', MARIA.replace('red', 'green').replace('brother', 'sister'))];
    expect(findContaminatedProblems(train, evalSet, { threshold: 0.77 }).contaminated).toHaveLength(1);
    expect(findContaminatedProblems(train, evalSet, { threshold: 0.78 }).contaminated).toEqual([]);
  });

  it('misses changes closer together than n, which a smaller n catches', () => {
    // Tokens 3, 12 and 14 changed: with n = 8 only tokens 4–11 keep a shared 8-gram (8/22);
    // with n = 4, tokens 4–11 and 15–21 do (15/22).
    const train = [problem('t-three', MARIA.replace('red', 'green').replace('brother', 'sister').replace('Monday', 'Tuesday'))];
    expect(findContaminatedProblems(train, evalSet).contaminated).toEqual([]);
    const [item] = findContaminatedProblems(train, evalSet, { ngram: 4 }).contaminated;
    expect(item.matches[0].score).toBeCloseTo(15 / 22, 12);
  });

  it('rejects options it cannot use', () => {
    expect(() => findContaminatedProblems([], [], { threshold: 0 })).toThrow(ConfigError);
    expect(() => findContaminatedProblems([], [], { ngram: 1 })).toThrow(/ngram/);
    expect(() => findContaminatedProblems([], [], { nGram: 8 } as never)).toThrow(ConfigError);
  });
});

describe('findContaminatedDatasetLines', () => {
  it('finds an assistant answer that restates an eval problem, by line number', () => {
    const lines = [
      { messages: [{ role: 'user' as const, content: 'Sam has 3 pears and eats 1. How many are left?' }, { role: 'assistant' as const, content: '3 - 1 = 2. The answer is 2.' }] },
      { messages: [{ role: 'user' as const, content: 'Sam has 3 pears and eats 1. How many are left?' }, { role: 'assistant' as const, content: `Similar to: ${MARIA} She has 12 - 5 = 7 left. The answer is 7.` }] },
    ];
    expect(findContaminatedDatasetLines(lines, evalSet).contaminated).toEqual([{ key: 2, matches: [{ evalId: 'eval-maria', kind: 'ngram', score: 1, n: 8 }] }]);
  });
});

describe('the shipped problem sets', () => {
  it('arith: no train problem copies an eval problem (4-token sums, matched whole)', async () => {
    const report = findContaminatedProblems(await loadProblems('problems/arith/train.jsonl'), await loadProblems('problems/arith/eval.jsonl'));
    expect(report.checked).toBe(300);
    expect(report.exactOnly).toEqual([]);
    expect(report.contaminated).toEqual([]);
  });

  it('gsm-mini: no train problem copies an eval problem (train-019, once a copy of eval-035, was rewritten)', async () => {
    const train = await loadProblems('problems/gsm-mini/train.jsonl');
    const evalProblems = await loadProblems('problems/gsm-mini/eval.jsonl');
    expect(findContaminatedProblems(train, evalProblems).contaminated).toEqual([]);
    // Template siblings share most words but not their numbers: without the number rule, 35 more.
    expect(findContaminatedProblems(train, evalProblems, { sameNumbers: false }).contaminated.length).toBe(35);
  });
});
