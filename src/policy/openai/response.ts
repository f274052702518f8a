import { z } from 'zod';
import { MalformedResponseError } from '../../openai/errors.ts';
import { formatIssues } from '../../schema/format-issues.ts';

// Only the fields starloop reads are checked; servers add many more (logprobs, system_fingerprint...).
const Usage = z.looseObject({
  prompt_tokens: z.number().int().nonnegative(),
  completion_tokens: z.number().int().nonnegative(),
});

const FinishReason = z.string().nullish();

export const ChatCompletionResponse = z.looseObject({
  model: z.string().optional(),
  choices: z.array(
    z.looseObject({
      index: z.number().int().nonnegative(),
      message: z.looseObject({ content: z.string().nullish() }),
      finish_reason: FinishReason,
    }),
  ),
  usage: Usage.nullish(),
});

export const CompletionResponse = z.looseObject({
  model: z.string().optional(),
  choices: z.array(
    z.looseObject({
      index: z.number().int().nonnegative(),
      text: z.string(),
      finish_reason: FinishReason,
    }),
  ),
  usage: Usage.nullish(),
});

/** A response reduced to what a sample needs, whichever endpoint produced it. */
export interface ParsedCompletion {
  model: string | undefined;
  /** Ordered by choice index; `index` is the position among the `n` asked for, each at most once. */
  choices: { index: number; text: string; finishReason: string }[];
  usage: { promptTokens: number; completionTokens: number } | undefined;
}

/**
 * Parses a response to a request for `asked` choices. A choice's `index`, not its position in
 * the list, says which sample it is: a server that lost choice 1 of 3 must not have choice 2
 * recorded as sample 1. Indices outside what was asked, or repeated, are dropped.
 */
export function parseCompletion(mode: 'chat' | 'completions', body: unknown, asked: number): ParsedCompletion {
  const schema = mode === 'chat' ? ChatCompletionResponse : CompletionResponse;
  const result = schema.safeParse(body);
  if (!result.success) {
    const what = typeof body === 'string' ? `a non-JSON body (${JSON.stringify(body.slice(0, 80))})` : formatIssues(result.error).replace(/\n/g, '; ');
    throw new MalformedResponseError(`malformed response: ${what}`);
  }
  const seen = new Set<number>();
  const choices = [...result.data.choices]
    .sort((a, b) => a.index - b.index)
    .filter((choice) => choice.index < asked && !seen.has(choice.index) && seen.add(choice.index))
    .map((choice) => ({
      index: choice.index,
      text: 'message' in choice ? (choice.message as { content?: string | null }).content ?? '' : (choice as { text: string }).text,
      finishReason: choice.finish_reason ?? 'unknown',
    }));
  // No usable choice would leave every index to be asked again, forever; it is a broken answer.
  if (choices.length === 0) {
    const got = result.data.choices.map((c) => c.index).join(', ') || 'none';
    throw new MalformedResponseError(`malformed response: no usable choice for n=${asked} (choice indices: ${got})`);
  }
  const usage = result.data.usage ? { promptTokens: result.data.usage.prompt_tokens, completionTokens: result.data.usage.completion_tokens } : undefined;
  return { model: result.data.model, choices, usage };
}

/**
 * Splits one response's usage over its choices so that the samples' usage adds up to what the
 * server billed: the prompt evenly, completion tokens in proportion to each text's length.
 */
export function splitUsage(total: { promptTokens: number; completionTokens: number }, texts: string[]): { promptTokens: number; completionTokens: number }[] {
  if (texts.length === 0) return [];
  const share = (amount: number, weights: number[]): number[] => {
    const sum = weights.reduce((a, b) => a + b, 0);
    const parts = weights.map((w) => (sum === 0 ? Math.floor(amount / weights.length) : Math.floor((amount * w) / sum)));
    let rest = amount - parts.reduce((a, b) => a + b, 0);
    for (let i = 0; rest > 0; i = (i + 1) % parts.length, rest--) parts[i]++;
    return parts;
  };
  const prompt = share(total.promptTokens, texts.map(() => 1));
  const completion = share(total.completionTokens, texts.map((t) => t.length));
  return texts.map((_, i) => ({ promptTokens: prompt[i], completionTokens: completion[i] }));
}
