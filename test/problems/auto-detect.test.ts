import { describe, expect, it } from 'vitest';
import { ProblemFileError } from '../../src/errors.ts';
import { checkProblems, loadProblems } from '../../src/problems/index.ts';
import { fixture } from './fixture.ts';

describe('format auto-detection', () => {
  it.each([
    ['native.jsonl', 'native'],
    ['gsm8k.jsonl', 'gsm8k'],
    ['math.jsonl', 'math'],
    ['humaneval.jsonl', 'humaneval'],
    ['mbpp.jsonl', 'mbpp'],
  ])('recognises %s as %s from the first line', async (file, format) => {
    expect((await checkProblems(fixture(file))).format).toBe(format);
  });

  it('names the keys it saw when no layout fits', async () => {
    const error = await loadProblems(fixture('unknown-layout.jsonl')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProblemFileError);
    expect((error as ProblemFileError).message).toMatch(/unknown-layout\.jsonl:1: cannot tell the file's format from its keys \(input, output\)/);
    expect((error as ProblemFileError).message).toContain('problems.format');
  });

  it('lets a forced format read lines the way the user said', async () => {
    const error = await loadProblems(fixture('gsm8k.jsonl'), { format: 'math' }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/gsm8k\.jsonl:1: .*problem.*\(reading as math\)/);
  });
});
