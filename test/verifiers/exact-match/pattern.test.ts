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
