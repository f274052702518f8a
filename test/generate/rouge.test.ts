import { l as jsRougeL } from 'js-rouge';
import { expect, test } from 'vitest';
import { lcsLength, rougeTokens } from '../../src/generate/rouge.ts';
import { RougePool } from '../../src/generate/rouge-index.ts';

// The independent implementation: js-rouge's ROUGE-L on our tokens, one sentence per text.
const independent = (a: string, b: string) => jsRougeL(rougeTokens(a).join(' '), rougeTokens(b).join(' '), { segmenter: (s) => [s], tokenizer: (s) => s.split(' ') });

/** A deterministic generator of word problems from few templates and words, so that near-duplicates abound. */
function problems(count: number, seed: number): string[] {
  let state = seed >>> 0 || 1;
  const next = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)];
  const names = ['Ann', 'Bo', 'Cy', 'Di', 'Ed', 'Flo'];
  const things = ['apples', 'pens', 'cards', 'books', 'coins'];
  const templates = [
    (n: string, t: string, a: number, b: number) => `${n} has ${a} ${t} and buys ${b} more. How many ${t} does ${n} have now?`,
    (n: string, t: string, a: number, b: number) => `${n} had ${a} ${t}, then gave away ${b} of them. How many ${t} are left?`,
    (n: string, t: string, a: number, b: number) => `A box holds ${a} ${t}. ${n} fills ${b} boxes. How many ${t} in all?`,
    (n: string, t: string, a: number, b: number) => `If ${n} reads ${a} ${t} a week for ${b} weeks, and then ${pick(names)} reads twice that, how many ${t} did both read?`,
  ];
  return Array.from({ length: count }, () => pick(templates)(pick(names), pick(things), Math.floor(next() * 20), Math.floor(next() * 20)));
}

test('tokens are lower-cased alphanumeric words', () => {
  expect(rougeTokens("Ann's 3 PENS cost $4.50, don't they?")).toEqual(['ann', 's', '3', 'pens', 'cost', '4', '50', 'don', 't', 'they']);
});

test('ROUGE-L F1 agrees with js-rouge on random texts', () => {
  const texts = problems(200, 7);
  for (let i = 0; i + 1 < texts.length; i += 2) {
    const [a, b] = [rougeTokens(texts[i]), rougeTokens(texts[i + 1])];
    const ids = new Map<string, number>();
    const encode = (tokens: string[]) => tokens.map((t) => ids.get(t) ?? (ids.set(t, ids.size), ids.size - 1));
    const ours = (2 * lcsLength(encode(a), encode(b))) / (a.length + b.length);
    expect(ours).toBeCloseTo(independent(texts[i], texts[i + 1]), 12);
  }
});

for (const threshold of [0.5, 0.7, 0.9]) {
  test(`the indexed pool decides exactly as all-pairs js-rouge does (threshold ${threshold})`, () => {
    const pool = new RougePool(threshold);
    const kept: string[] = [];
    let refused = 0;
    for (const text of problems(400, 11 + threshold * 10)) {
      const best = Math.max(0, ...kept.map((other) => independent(text, other)));
      const check = pool.check(text);
      expect(check.accepted, `${text} (best ${best})`).toBe(best < threshold);
      if (check.accepted) {
        expect(check.bestChecked).toBeLessThanOrEqual(best + 1e-12);
        pool.add(text);
        kept.push(text);
      } else {
        refused++;
        expect(check.score).toBeCloseTo(independent(text, kept[check.match]), 12);
        expect(check.score).toBeGreaterThanOrEqual(threshold);
      }
    }
    expect(refused).toBeGreaterThan(0);
    // No pair left in the pool reaches the threshold.
    for (let i = 0; i < kept.length; i++) for (let j = i + 1; j < kept.length; j++) expect(independent(kept[i], kept[j])).toBeLessThan(threshold);
  });
}

test('an exact duplicate is refused at any threshold; a threshold outside (0, 1] is an error', () => {
  const pool = new RougePool(1);
  pool.add('Ann has 3 apples.');
  expect(pool.check('ann HAS 3 apples')).toMatchObject({ accepted: false, match: 0, score: 1 });
  expect(pool.check('Ann has 4 apples.').accepted).toBe(true);
  expect(() => new RougePool(0)).toThrow(RangeError);
  expect(() => new RougePool(1.5)).toThrow(RangeError);
});
