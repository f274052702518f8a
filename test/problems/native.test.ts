import { describe, expect, it } from 'vitest';
import { loadProblems } from '../../src/problems/index.ts';
import { fixture } from './fixture.ts';

describe('native problem files', () => {
  it('reads prompt, chat messages, numeric answers, tests, verifier refs and meta', async () => {
    const problems = await loadProblems(fixture('native.jsonl'), { format: 'native' });
    expect(problems.map((p) => p.id)).toEqual(['add-1', 'chat-1', '7', expect.stringMatching(/^native-[0-9a-f]{12}$/)]);
    const [add, chat, code, generated] = problems;
    expect(add).toEqual({ id: 'add-1', prompt: 'What is 17 + 25?', answer: '42', split: 'train', meta: { group: 'easy' } });
    expect(chat.prompt).toEqual([
      { role: 'system', content: 'Answer with a number.' },
      { role: 'user', content: 'How many legs do 3 spiders have?' },
    ]);
    expect(chat.answer).toBe('24');
    expect(chat.meta).toEqual({});
    expect(code.tests).toBe('assert is_even(2)\nassert not is_even(3)');
    expect(code.verifier).toEqual({ id: 'python-tests', options: { timeoutMs: 2000 } });
    expect(code.split).toBe('eval');
    expect(generated.verifier).toBe('exact-match');
  });
});
