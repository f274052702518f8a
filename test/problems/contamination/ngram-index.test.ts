import { describe, expect, it } from 'vitest';
import { NgramIndex, type NgramIndexOptions, type TextMatch } from '../../../src/problems/contamination/ngram-index.ts';
import { isNumberToken, tokenize } from '../../../src/problems/contamination/tokens.ts';
import { seededRandom } from '../../../src/util/seeded-random.ts';

/** The definition, pair by pair: what the index must return, found without an index. */
function naiveMatches(text: string, evalTexts: readonly string[], options: NgramIndexOptions): TextMatch[] {
  const t = tokenize(text);
  const matches: TextMatch[] = [];
  evalTexts.forEach((evalText, evalIndex) => {
    const e = tokenize(evalText);
    if (t.length > 0 && t.join(' ') === e.join(' ')) return void matches.push({ evalIndex, kind: 'exact', score: 1 });
    if (e.length < options.minTokens) return;
    const n = Math.min(options.ngram, e.length);
    const grams = new Set<string>();
    for (let s = 0; s + n <= t.length; s++) grams.add(t.slice(s, s + n).join('\u0001'));
    const covered = new Set<number>();
    for (let s = 0; s + n <= e.length; s++) if (grams.has(e.slice(s, s + n).join('\u0001'))) for (let i = s; i < s + n; i++) covered.add(i);
    const score = covered.size / e.length;
    if (score < options.threshold) return;
    if (options.sameNumbers) {
      const wanted = e.filter(isNumberToken);
      let next = 0;
      for (const token of t) if (next < wanted.length && token === wanted[next]) next++;
      if (next < wanted.length) return;
    }
    matches.push({ evalIndex, kind: 'ngram', score, n });
  });
  return matches;
}

const byEvalIndex = (matches: TextMatch[]) => [...matches].sort((a, b) => a.evalIndex - b.evalIndex);

describe('NgramIndex', () => {
  it('finds exactly what comparing every pair finds, on random texts with planted copies', () => {
    const random = seededRandom(42);
    const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
    const vocabulary = [...'abcdefghijklmnopqrstuvwxyz'.split('').map((c) => `w${c}`), '1', '2', '3', '10', '+', '='];
    const randomText = (length: number) => Array.from({ length }, () => pick(vocabulary)).join(' ');
    const evalTexts = Array.from({ length: 60 }, () => randomText(1 + Math.floor(random() * 25)));
    const mutate = (text: string) => {
      const tokens = text.split(' ');
      const changes = Math.floor(random() * 4);
      for (let c = 0; c < changes; c++) tokens[Math.floor(random() * tokens.length)] = pick(vocabulary);
      return tokens.join(' ');
    };
    const trainTexts = Array.from({ length: 300 }, (_, i) => {
      const source = pick(evalTexts);
      switch (i % 5) {
        case 0: return randomText(5 + Math.floor(random() * 30));
        case 1: return source.toUpperCase().replaceAll(' ', ',  ');
        case 2: return mutate(source);
        case 3: return `${randomText(6)} ${mutate(source)} ${randomText(4)}`;
        default: return `${pick(evalTexts)} ${pick(evalTexts)}`;
      }
    });
    let found = 0;
    for (const options of [
      { ngram: 8, threshold: 0.5, minTokens: 3, sameNumbers: true },
      { ngram: 4, threshold: 0.3, minTokens: 2, sameNumbers: false },
      { ngram: 13, threshold: 0.9, minTokens: 5, sameNumbers: true },
    ]) {
      const index = new NgramIndex(evalTexts, options);
      for (const text of trainTexts) {
        const expected = naiveMatches(text, evalTexts, options);
        found += expected.length;
        const actual = index.match(text);
        expect(byEvalIndex(actual).map((m) => ({ ...m, score: Number(m.score.toFixed(12)) }))).toEqual(byEvalIndex(expected).map((m) => ({ ...m, score: Number(m.score.toFixed(12)) })));
      }
    }
    // The planted copies make this a test of matches, not of agreeing on "none".
    expect(found).toBeGreaterThan(300);
  });

  it('puts exact copies first, then near duplicates by score', () => {
    const index = new NgramIndex(['a b c d e f g h i j', 'a b c d e f g h i x', 'a b c d e f g h y x'], { ngram: 4, threshold: 0.1, minTokens: 3, sameNumbers: true });
    expect(index.match('a b c d e f g h i x').map((m) => [m.evalIndex, m.kind])).toEqual([[1, 'exact'], [0, 'ngram'], [2, 'ngram']]);
  });
});
