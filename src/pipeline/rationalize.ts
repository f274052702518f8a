import type { RunConfig } from '../config/schema.ts';
import type { Problem } from '../schema/problem.ts';
import { hintSentence } from './prompt.ts';

/** Train problems worth rationalizing: a gold answer exists and no unhinted sample was correct. */
export function problemsToRationalize(problems: readonly Problem[], correctOf: (problemId: string) => number): Problem[] {
  return problems.filter((p) => p.answer !== undefined && p.answer !== '' && correctOf(p.id) === 0);
}

const squash = (text: string) => text.toLowerCase().replace(/\s+/g, ' ').trim();

/**
 * A rationale that mentions the hint ("as the hint says…") or repeats the hint sentence would
 * teach the model to expect a hint it will not get at test time, so it is not kept.
 */
export function quotesHint(config: Pick<RunConfig, 'rationalize'>, problem: Problem, text: string): boolean {
  const sentence = squash(hintSentence(config, problem));
  const body = squash(text);
  return /\bhint\b/.test(body) || (sentence.length > 0 && body.includes(sentence));
}
