import { describe, expect, it } from 'vitest';
import { VerifierError } from '../../../src/errors.ts';
import { parseVerifierOptions } from '../../../src/verify/run.ts';
import { exactMatch } from '../../../verifiers/exact-match/index.ts';
import { judge } from '../../verify/judge.ts';

describe('exact-match extraction by pattern', () => {
  it('takes the first capture group of the last match by default', async () => {
    const candidate = 'draft: <ans>cat</ans> final: <ans>dog</ans>';
    expect((await judge(exactMatch, 'dog', candidate, { pattern: '<ans>(.*?)</ans>' })).status).toBe('correct');
    expect((await judge(exactMatch, 'cat', candidate, { pattern: '<ans>(.*?)</ans>', match: 'first' })).status).toBe('correct');
  });

  it('uses the whole match when the pattern has no group, and honours flags', async () => {
    expect((await judge(exactMatch, 'ID-77', 'see id-77 now', { pattern: 'id-\\d+', patternFlags: 'i' })).status).toBe('correct');
  });

  it('calls a candidate the pattern does not match unparseable', async () => {
    expect(await judge(exactMatch, 'dog', 'no tags', { pattern: '<ans>(.*?)</ans>' })).toMatchObject({ status: 'unparseable', score: 0 });
  });

  it('rejects a pattern that does not compile, naming the option', () => {
    expect(() => parseVerifierOptions(exactMatch, { pattern: '((' })).toThrow(VerifierError);
    expect(() => parseVerifierOptions(exactMatch, { pattern: '((' })).toThrow(/pattern: not a valid regular expression/);
    expect(() => parseVerifierOptions(exactMatch, { colour: 'red' })).toThrow(/colour/);
  });
});

describe('exact-match patterns are bounded', () => {
  it('matches a nested-quantifier pattern in linear time, where a backtracking engine takes seconds', async () => {
    // A backtracking engine tries every split of the a's: 15 to 45 s on these 30 characters.
    const started = performance.now();
    const verdict = await judge(exactMatch, 'x', `${'a'.repeat(29)}!`, { pattern: '^(a+)+$' });
    expect(verdict.status).toBe('unparseable');
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('stays linear on a long candidate with a pathological pattern', async () => {
    const verdict = await judge(exactMatch, 'x', `${'a'.repeat(200_000)}!`, { pattern: '(a*)*b' });
    expect(verdict.status).toBe('unparseable');
    expect(verdict.durationMs).toBeLessThan(1_500);
  });

  it('honours every allowed flag: i, m, s, u and sticky y', async () => {
    expect((await judge(exactMatch, 'b', 'A\nb', { pattern: '^(b)$', patternFlags: 'm' })).status).toBe('correct');
    expect((await judge(exactMatch, 'b', 'A\nb', { pattern: '^(b)$' })).status).toBe('unparseable');
    expect((await judge(exactMatch, 'x y', 'x\ny', { pattern: 'x.y', patternFlags: 's', whitespace: 'collapse' })).status).toBe('correct');
    expect((await judge(exactMatch, 'é', 'café', { pattern: '(\\p{L})$', patternFlags: 'u' })).status).toBe('correct');
    // Sticky: successive matches from the start only, so the "ab" after the gap is not reached.
    expect((await judge(exactMatch, 'ab2', 'ab1ab2 ab3', { pattern: 'ab\\d', patternFlags: 'y' })).status).toBe('correct');
    expect((await judge(exactMatch, 'ab1', 'xab1', { pattern: 'ab\\d', patternFlags: 'y' })).status).toBe('unparseable');
  });

  it('refuses lookaround and backreferences with a message that says why', () => {
    expect(() => parseVerifierOptions(exactMatch, { pattern: 'a(?=b)' })).toThrow(/pattern: not a valid regular expression \(RE2 syntax: no lookaround/);
    expect(() => parseVerifierOptions(exactMatch, { pattern: '(a)\\1' })).toThrow(/backreferences/);
  });
});
