import type { ChatMessage } from '../schema/problem.ts';

/** Counts a prompt's tokens, and says whether the count is exact (the model's own tokenizer) or an estimate. */
export interface PromptCounter {
  readonly exact: boolean;
  /** What the count is: the encoding, or how it is estimated. */
  readonly method: string;
  chat(messages: readonly ChatMessage[]): number;
  text(text: string): number;
}

type Encoding = 'o200k_base' | 'cl100k_base';

/** The tokenizer of OpenAI models by id (fine-tunes and dated snapshots as their base); undefined for other models. */
export function encodingOf(model: string): Encoding | undefined {
  const base = model.replace(/^ft:/, '').split(':')[0];
  if (/^(gpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|o1|o3|o4|chatgpt-4o)/.test(base)) return 'o200k_base';
  if (/^(gpt-4|gpt-3\.5)/.test(base)) return 'cl100k_base';
  return undefined;
}

/**
 * Chat framing of OpenAI chat models: 3 tokens per message plus its role, and 3 that prime the
 * reply (OpenAI cookbook, "How to count tokens with tiktoken"; gpt-tokenizer's encodeChat counts the same).
 */
const TOKENS_PER_MESSAGE = 3;
const REPLY_PRIMING = 3;

/**
 * The model's own tokenizer when it is a known OpenAI model (gpt-tokenizer, loaded on first use: it
 * takes about a second and 100 MB), otherwise an estimate of 4 characters per token, said as such.
 */
export async function promptCounter(model: string): Promise<PromptCounter> {
  const encoding = encodingOf(model);
  if (!encoding) {
    const estimate = (text: string) => Math.ceil(text.length / 4);
    return {
      exact: false,
      method: 'estimated at 4 characters per token (no tokenizer known for this model)',
      text: estimate,
      chat: (messages) => messages.reduce((sum, m) => sum + estimate(m.content) + TOKENS_PER_MESSAGE + 1, REPLY_PRIMING),
    };
  }
  const { countTokens } = encoding === 'o200k_base' ? await import('gpt-tokenizer/encoding/o200k_base') : await import('gpt-tokenizer/encoding/cl100k_base');
  return {
    exact: true,
    method: encoding,
    text: (text) => countTokens(text),
    chat: (messages) => messages.reduce((sum, m) => sum + countTokens(m.content) + countTokens(m.role) + TOKENS_PER_MESSAGE, REPLY_PRIMING),
  };
}
