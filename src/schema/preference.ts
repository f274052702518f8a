import { z } from 'zod';
import { ChatMessage } from './problem.ts';

// The two preference formats starloop writes, as their documentation describes them; every line
// written is parsed through these before it leaves starloop.

const AssistantTurn = z.object({ role: z.literal('assistant'), content: z.string() }).strict();
/** One answer: both formats take a list of turns; a preference pair here is one assistant turn. */
const Answer = z.array(AssistantTurn).length(1);

/** The conversation the answers continue: single-turn, so it ends with the user's turn. */
const Prompt = z
  .array(ChatMessage.strict())
  .min(1)
  .refine((messages) => messages.at(-1)?.role === 'user', { message: 'the prompt must end with a user turn' });

/**
 * TRL's preference type in the conversational format with an explicit prompt (what `DPOTrainer`
 * reads): `prompt`, `chosen` and `rejected` as lists of chat messages.
 * https://huggingface.co/docs/trl/dataset_formats (Preference, conversational)
 */
export const TrlPreferenceLine = z.object({ prompt: Prompt, chosen: Answer, rejected: Answer }).strict();
export type TrlPreferenceLine = z.infer<typeof TrlPreferenceLine>;

/**
 * OpenAI's preference fine-tuning (DPO) line: `input.messages`, then `preferred_output` and
 * `non_preferred_output`, each one assistant message ending the conversation.
 * https://developers.openai.com/api/docs/guides/direct-preference-optimization (Data format)
 */
export const OpenAIPreferenceLine = z
  .object({
    input: z.object({ messages: Prompt, tools: z.array(z.unknown()).optional(), parallel_tool_calls: z.boolean().optional() }).strict(),
    preferred_output: Answer,
    non_preferred_output: Answer,
  })
  .strict();
export type OpenAIPreferenceLine = z.infer<typeof OpenAIPreferenceLine>;

export const PreferenceFormat = z.enum(['trl', 'openai']);
export type PreferenceFormat = z.infer<typeof PreferenceFormat>;

/** Where pair `line` came from: the two samples, of one problem and one round, and their verdicts. */
export const PairProvenance = z
  .object({
    line: z.number().int().positive(),
    problemId: z.string(),
    round: z.number().int().nonnegative(),
    chosenSampleId: z.string(),
    rejectedSampleId: z.string(),
    rejectedStatus: z.enum(['incorrect', 'unparseable']),
    verifier: z.string(),
  })
  .strict();
export type PairProvenance = z.infer<typeof PairProvenance>;
