import { describe, expect, it } from 'vitest';
import { ProblemFileError } from '../../src/errors.ts';
import { loadProblems } from '../../src/problems/index.ts';
import { fixture } from './fixture.ts';

async function failure(path: string): Promise<ProblemFileError> {
  const error = await loadProblems(path).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ProblemFileError);
  return error as ProblemFileError;
}

describe('bad problem lines', () => {
  it('reports every bad line as file:line: what is wrong, in one error', async () => {
    const path = fixture('bad-lines.jsonl');
    const { message, code } = await failure(path);
    expect(code).toBe('PROBLEMS_INVALID');
    expect(message).toContain('has 4 bad lines');
    expect(message).toContain(`${path}:2: not valid JSON`);
    expect(message).toContain(`${path}:3: missing "prompt" (text) or "messages"`);
    expect(message).toContain(`${path}:4: unknown key "anwser" (did you mean "answer"?); put extra data under "meta"`);
    expect(message).toMatch(/:5: split: .*"train"/);
    expect(message).not.toMatch(/:1: |:6: /);
  });

  it('stops after 20 errors and says so', async () => {
    const { message } = await failure(fixture('many-bad-lines.jsonl'));
    expect(message.match(/many-bad-lines\.jsonl:\d+: /g)).toHaveLength(20);
    expect(message).toContain('(stopped after 20 errors)');
  });

  it('calls an empty file an error', async () => {
    expect((await failure(fixture('empty.jsonl'))).message).toMatch(/empty\.jsonl has no problems/);
    expect((await failure(fixture('blank-lines.jsonl'))).message).toMatch(/blank-lines\.jsonl has no problems/);
  });

  it('names a missing file', async () => {
    const missing = fixture('does-not-exist.jsonl');
    expect((await failure(missing)).message).toBe(`problem file ${missing} does not exist`);
  });
});
