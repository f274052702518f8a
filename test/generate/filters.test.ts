import { l as jsRougeL } from 'js-rouge';
import { describe, expect, test } from 'vitest';
import { DEFAULT_BLACKLIST } from '../../src/config/generate-schema.ts';
import { drawExamples } from '../../src/generate/draw.ts';
import { ProblemPool } from '../../src/generate/pool.ts';
import { parseReply, renderWritingPrompt } from '../../src/generate/reply.ts';
import { rougeTokens } from '../../src/generate/rouge.ts';
import { textRefusal } from '../../src/generate/text-filters.ts';

const independent = (a: string, b: string) => jsRougeL(rougeTokens(a).join(' '), rougeTokens(b).join(' '), { segmenter: (s) => [s], tokenizer: (s) => s.split(' ') });
const settings = { minWords: 4, maxWords: 20, blacklist: DEFAULT_BLACKLIST };

describe('malformed replies', () => {
  test('a reply in the examples\' format is read, problem and answer', () => {
    expect(parseReply('Problem: Tom has 3 pens and buys 2. How many now?\nAnswer: 5', 'stop', true)).toEqual({ ok: true, written: { problem: 'Tom has 3 pens and buys 2. How many now?', answer: '5' } });
    // Markdown bold labels and a problem over several lines are the same format.
    expect(parseReply('**Problem:** Line one.\nLine two?\n**Answer:** 7\n', 'stop', true)).toEqual({ ok: true, written: { problem: 'Line one.\nLine two?', answer: '7' } });
  });
  test('no Problem: line, an empty problem, two problems, a cut reply, or no answer where one is needed: malformed', () => {
    expect(parseReply('Sure, here is a problem about pens.', 'stop', false)).toEqual({ ok: false, why: 'no "Problem:" line' });
    expect(parseReply('Problem:\nAnswer: 5', 'stop', false)).toEqual({ ok: false, why: 'empty problem' });
    expect(parseReply('Problem: A?\nAnswer: 1\nProblem: B?\nAnswer: 2', 'stop', false)).toEqual({ ok: false, why: 'more than one "Problem:"' });
    expect(parseReply('Problem: Tom has 3 pens and', 'length', false)).toEqual({ ok: false, why: 'cut at the token limit' });
    expect(parseReply('Problem: Tom has 3 pens. How many?', 'stop', true)).toEqual({ ok: false, why: 'no answer after "Answer:"' });
    // Without a needed answer, the problem alone is enough.
    expect(parseReply('Problem: Tom has 3 pens. How many?', 'stop', false)).toEqual({ ok: true, written: { problem: 'Tom has 3 pens. How many?' } });
  });
  test('the writing prompt shows each example in the format replies are read in', () => {
    const prompt = renderWritingPrompt('Examples:\n{{examples}}\nWrite one.', [{ problem: 'A?', answer: '1' }, { problem: 'B?', answer: '2' }]);
    expect(prompt).toBe('Examples:\nProblem: A?\nAnswer: 1\n\nProblem: B?\nAnswer: 2\nWrite one.');
    expect(parseReply(prompt.split('\n\n')[1].replace('\nWrite one.', ''), 'stop', true)).toEqual({ ok: true, written: { problem: 'B?', answer: '2' } });
  });
});

describe('length bounds', () => {
  test('words are counted as ROUGE-L counts them; the bounds are inclusive', () => {
    expect(textRefusal('Compute 3+4 now.', settings)).toBeUndefined(); // compute, 3, 4, now: 4 words
    expect(textRefusal('Compute 3+4.', settings)).toEqual({ reason: 'too-short', detail: '3 words, fewer than 4' });
    const twenty = Array.from({ length: 20 }, (_, i) => `w${i}`).join(' ');
    expect(textRefusal(twenty, settings)).toBeUndefined();
    expect(textRefusal(`${twenty} w20`, settings)).toEqual({ reason: 'too-long', detail: '21 words, more than 20' });
  });
});

describe('keyword blacklist', () => {
  test('whole words and phrases, any case; a word that only contains one is not refused', () => {
    expect(textRefusal('Draw the triangle and give its area.', settings)).toEqual({ reason: 'blacklist', detail: 'contains "draw"' });
    expect(textRefusal('How far is it if you GO TO the shop twice?', settings)).toEqual({ reason: 'blacklist', detail: 'contains "go to"' });
    expect(textRefusal('The drawer holds 4 socks; how many pairs is that?', settings)).toBeUndefined();
    expect(textRefusal('A mapping sends 3 to 9; what does it send 4 to?', settings)).toBeUndefined();
    expect(textRefusal('Go and then to the shop: 4 apples cost what?', settings)).toBeUndefined();
  });
});

describe('the pool: duplicates and ROUGE-L', () => {
  const base = 'Tom has 12 red apples and gives 5 of them to his sister. How many apples does Tom have left?';
  const pool = () => {
    const p = new ProblemPool(0.7);
    p.add('seed-1', base);
    p.add('seed-2', 'A train leaves at 9 and arrives at 11:30. How long is the trip in minutes?');
    return p;
  };
  test('an exact copy (spacing around it aside) is an exact duplicate', () => {
    expect(pool().refusal(`  ${base}\n`)).toEqual({ reason: 'exact-duplicate', nearest: 'seed-1', score: 1 });
  });
  test('the same words in other case and punctuation are a normalized duplicate', () => {
    expect(pool().refusal('TOM HAS 12 RED APPLES, AND GIVES 5 OF THEM TO HIS SISTER; how many apples does Tom have left!!')).toEqual({ reason: 'normalized-duplicate', nearest: 'seed-1', score: 1 });
  });
  test('a paraphrase at the threshold is refused; one just under it is kept (scores checked by js-rouge)', () => {
    const at = 'Ana has 12 green pears and gives 5 of them to her sister. How many pears does Ana have left?';
    const under = 'Ana has 12 green pears and then gives 5 of them to her sister. How many pears does Ana have left?';
    expect(independent(base, at)).toBeCloseTo(0.7, 10);
    expect(independent(base, under)).toBeCloseTo(28 / 41, 10);
    expect(pool().refusal(at)).toEqual({ reason: 'rouge', nearest: 'seed-1', score: expect.closeTo(0.7, 10) });
    expect(pool().refusal(under)).toBeUndefined();
    expect(pool().nearest(under)).toEqual({ id: 'seed-1', score: expect.closeTo(28 / 41, 10) });
  });
  test('nearest is the exact maximum over the pool (against brute force with js-rouge)', () => {
    let state = 7;
    const next = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    const vocabulary = ['ann', 'has', 'apples', 'pens', 'buys', 'gives', 'how', 'many', 'left', 'more', '3', '5', '12', 'the', 'box'];
    const text = () => Array.from({ length: 3 + Math.floor(next() * 12) }, () => vocabulary[Math.floor(next() * vocabulary.length)]).join(' ');
    const texts = Array.from({ length: 150 }, text);
    const p = new ProblemPool(0.7);
    texts.forEach((t, i) => p.add(`p${i}`, t));
    for (let trial = 0; trial < 40; trial++) {
      const probe = text();
      const best = Math.max(...texts.map((t) => independent(probe, t)));
      const found = p.nearest(probe);
      expect(found?.score ?? 0).toBeCloseTo(best, 10);
      if (found) expect(independent(probe, texts[Number(found.id.slice(1))])).toBeCloseTo(best, 10);
    }
  });
});

describe('example draws', () => {
  const seeds = Array.from({ length: 20 }, (_, i) => `s${i}`);
  test('seeds and generated problems in the configured numbers, seeds filling in while few are generated; the same request draws the same', () => {
    const draw = drawExamples(seeds, ['g0', 'g1', 'g2'], 6, 2, 0, 5);
    expect(draw.examples).toHaveLength(8);
    expect(draw.examples.filter((e) => e.startsWith('g'))).toHaveLength(2);
    expect(new Set(draw.examples).size).toBe(8);
    expect(new Set(draw.seeds)).toEqual(new Set(draw.examples.filter((e) => e.startsWith('s'))));
    expect(drawExamples(seeds, ['g0', 'g1', 'g2'], 6, 2, 0, 5)).toEqual(draw);
    expect(drawExamples(seeds, ['g0', 'g1', 'g2'], 6, 2, 0, 6)).not.toEqual(draw);
    const early = drawExamples(seeds, ['g0'], 6, 2, 0, 1);
    expect(early.examples).toHaveLength(8);
    expect(early.seeds).toHaveLength(7);
  });
});
