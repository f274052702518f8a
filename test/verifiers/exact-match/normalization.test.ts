import { describe, expect, it } from 'vitest';
import { exactMatch } from '../../../verifiers/exact-match/index.ts';
import { judge } from '../../verify/judge.ts';

describe('exact-match normalization', () => {
  it('ignores case, extra whitespace and trailing punctuation by default', async () => {
    const verdict = await judge(exactMatch, 'New York', '  new   YORK! ');
    expect(verdict.status).toBe('correct');
    expect(verdict.extracted).toBe('new york');
  });

  it('trims sentence punctuation and emphasis, but not symbols that belong to the answer', async () => {
    expect((await judge(exactMatch, 'Paris', '**Paris**.')).status).toBe('correct');
    expect((await judge(exactMatch, 'C++', 'C')).status).toBe('incorrect');
    expect((await judge(exactMatch, 'C#', 'c#!')).status).toBe('correct');
  });

  it('respects caseSensitive', async () => {
    expect((await judge(exactMatch, 'Paris', 'paris', { caseSensitive: true })).status).toBe('incorrect');
  });

  it('keeps inner punctuation unless told to remove it', async () => {
    expect((await judge(exactMatch, '3.5', '35')).status).toBe('incorrect');
    expect((await judge(exactMatch, "rock 'n' roll", 'rock n roll', { punctuation: 'remove' })).status).toBe('correct');
  });

  it('drops articles only when asked', async () => {
    expect((await judge(exactMatch, 'The Beatles', 'beatles')).status).toBe('incorrect');
    expect((await judge(exactMatch, 'The Beatles', 'beatles', { articles: true })).status).toBe('correct');
  });

  it('folds compatibility characters with NFKC unless unicode is none', async () => {
    expect((await judge(exactMatch, 'ＡＢＣ ﬁve', 'abc five')).status).toBe('correct');
    expect((await judge(exactMatch, 'ＡＢＣ', 'abc', { unicode: 'none' })).status).toBe('incorrect');
  });

  it('removes all whitespace with whitespace: remove', async () => {
    expect((await judge(exactMatch, 'H2 O', 'h 2o', { whitespace: 'remove' })).status).toBe('correct');
  });

  it('reads the answer after "the answer is" and accepts aliases', async () => {
    expect((await judge(exactMatch, 'Paris', 'Let me think.\nThe answer is Paris.')).extracted).toBe('paris');
    expect((await judge(exactMatch, 'USA', 'Answer: United States', { alsoAccept: ['United States'] })).status).toBe('correct');
  });

  it('gives equal extracted strings to equal answers (majority voting)', async () => {
    const a = await judge(exactMatch, 'x', 'The answer is  PARIS.');
    const b = await judge(exactMatch, 'x', 'paris');
    expect(a.extracted).toBe(b.extracted);
  });

  it('calls an empty candidate unparseable and a missing gold an error', async () => {
    expect(await judge(exactMatch, 'x', '   ')).toMatchObject({ status: 'unparseable', score: 0 });
    expect((await judge(exactMatch, undefined, 'x')).status).toBe('error');
  });
});
