import { fillTemplate } from '../pipeline/prompt.ts';

/** A problem shown to the writer, or one read from its reply. */
export interface WrittenProblem {
  problem: string;
  answer?: string;
}

/** One example as the writer sees it, and the format its reply is read in. */
export function renderExample(example: WrittenProblem): string {
  return `Problem: ${example.problem}\nAnswer: ${example.answer ?? ''}`;
}

/** The writing prompt: the template with `{{examples}}` replaced by the examples, blank lines between. */
export function renderWritingPrompt(template: string, examples: readonly WrittenProblem[]): string {
  return fillTemplate(template, { examples: examples.map(renderExample).join('\n\n') });
}

/** What a reply holds: one problem (and the writer's answer), or why it cannot be read. */
export type ParsedReply = { ok: true; written: WrittenProblem } | { ok: false; why: string };

const PROBLEM = /^\s*(?:\*\*)?Problem:(?:\*\*)?[ \t]*/im;
const ANSWER = /^\s*(?:\*\*)?Answer:(?:\*\*)?[ \t]*/im;

/**
 * Reads a writer's reply in the examples' format: `Problem:` then the problem, then `Answer:` and
 * the answer. A reply cut at the token limit, without a `Problem:`, with an empty problem, with a
 * second `Problem:` (several problems where one was asked for) or without an answer when one is
 * needed, is malformed: it is never half-read.
 */
export function parseReply(text: string, finishReason: string, needAnswer: boolean): ParsedReply {
  if (finishReason === 'length') return { ok: false, why: 'cut at the token limit' };
  const start = PROBLEM.exec(text);
  if (!start) return { ok: false, why: 'no "Problem:" line' };
  const rest = text.slice(start.index + start[0].length);
  if (PROBLEM.test(rest)) return { ok: false, why: 'more than one "Problem:"' };
  const answerAt = ANSWER.exec(rest);
  const problem = (answerAt ? rest.slice(0, answerAt.index) : rest).trim();
  if (problem === '') return { ok: false, why: 'empty problem' };
  const answer = answerAt ? rest.slice(answerAt.index + answerAt[0].length).trim() : undefined;
  if (needAnswer && !answer) return { ok: false, why: 'no answer after "Answer:"' };
  return { ok: true, written: { problem, ...(answer ? { answer } : {}) } };
}
