import type { RunConfig } from '../config/schema.ts';
import { PLACEHOLDER } from '../config/templates.ts';
import type { ChatMessage, Problem } from '../schema/problem.ts';

export interface RenderedPrompt {
  messages: ChatMessage[];
  /** Plain-text form for completion-mode backends: the turns joined, exactly as the templates wrote them. */
  text: string;
}

/** Replaces `{{name}}` placeholders (config loading has already refused unknown names). */
export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => values[name] ?? whole);
}

/**
 * The prompt a policy sees for a problem. With `hint`, the user turn is the rationalization prompt
 * (gold answer given); training data always uses the unhinted rendering.
 */
export function renderPrompt(config: Pick<RunConfig, 'prompt' | 'rationalize'>, problem: Problem, hint = false): RenderedPrompt {
  const system = config.prompt.system;
  let messages: ChatMessage[];
  if (typeof problem.prompt === 'string') {
    let user = fillTemplate(config.prompt.template, { problem: problem.prompt, id: problem.id });
    if (hint) user = fillTemplate(config.rationalize.hintTemplate, { problem: user, answer: problem.answer ?? '' });
    messages = [...(system ? [{ role: 'system' as const, content: system }] : []), { role: 'user', content: user }];
  } else {
    messages = problem.prompt.map((m) => ({ ...m }));
    if (system && messages[0]?.role !== 'system') messages.unshift({ role: 'system', content: system });
    if (hint) {
      const last = messages.findLastIndex((m) => m.role === 'user');
      if (last >= 0) messages[last] = { role: 'user', content: fillTemplate(config.rationalize.hintTemplate, { problem: messages[last].content, answer: problem.answer ?? '' }) };
    }
  }
  return { messages, text: messages.map((m) => m.content).join('\n\n') };
}

/** The hint sentence alone (the hint template without the problem), to spot rationales that quote it. */
export function hintSentence(config: Pick<RunConfig, 'rationalize'>, problem: Problem): string {
  return fillTemplate(config.rationalize.hintTemplate, { problem: '', answer: problem.answer ?? '' }).trim();
}
