import { expect, test } from 'vitest';
import { renderPrompt } from '../../src/pipeline/prompt.ts';
import { quotesHint } from '../../src/pipeline/rationalize.ts';
import type { Problem } from '../../src/schema/problem.ts';

const config = {
  prompt: { system: 'Solve it.', template: 'Q: {{problem}}' },
  rationalize: { enabled: true, hintTemplate: '{{problem}}\n(Hint: the answer is {{answer}}.)', k: 1 },
};
const problem: Problem = { id: 'p', prompt: 'What is 6*7?', answer: '42', meta: {} };

test('the prompt is the system turn plus the template filled with the problem', () => {
  const rendered = renderPrompt(config, problem);
  expect(rendered.messages).toEqual([
    { role: 'system', content: 'Solve it.' },
    { role: 'user', content: 'Q: What is 6*7?' },
  ]);
  expect(rendered.text).toBe('Solve it.\n\nQ: What is 6*7?');
});

test('completions mode gets the template exactly as written: nothing appended', () => {
  const fewShot = { ...config, prompt: { template: 'Q: 2+2\nA: 4\nQ: {{problem}}\nA:' } };
  expect(renderPrompt(fewShot, problem).text).toBe('Q: 2+2\nA: 4\nQ: What is 6*7?\nA:');
});

test('the rationalization prompt carries the gold answer as a hint; the plain one never does', () => {
  expect(renderPrompt(config, problem, true).messages.at(-1)!.content).toBe('Q: What is 6*7?\n(Hint: the answer is 42.)');
  expect(JSON.stringify(renderPrompt(config, problem))).not.toContain('42');
});

test('chat problems keep their own turns; the hint goes into the last user turn', () => {
  const chat: Problem = { ...problem, prompt: [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello' }, { role: 'user', content: '6*7?' }] };
  const hinted = renderPrompt(config, chat, true).messages;
  expect(hinted[0]).toEqual({ role: 'system', content: 'Solve it.' });
  expect(hinted.at(-1)!.content).toBe('6*7?\n(Hint: the answer is 42.)');
});

test('a rationale that mentions or repeats the hint is recognized', () => {
  expect(quotesHint(config, problem, 'As the hint says, 42.')).toBe(true);
  expect(quotesHint(config, problem, 'We know (Hint: the answer is 42.) so 42.')).toBe(true);
  expect(quotesHint(config, problem, '6*7 = 42. The answer is 42.')).toBe(false);
});
