import { z } from 'zod';

/** What a sample was drawn with; part of its identity. */
export const SamplingParams = z.object({
  temperature: z.number().min(0),
  topP: z.number().gt(0).max(1),
  maxTokens: z.number().int().positive(),
  stop: z.array(z.string()).optional(),
  /** Base seed; backends that support seeding derive a per-index seed from it. */
  seed: z.number().int().nonnegative(),
});
export type SamplingParams = z.infer<typeof SamplingParams>;

export const Usage = z.object({
  promptTokens: z.number().int().nonnegative(),
  completionTokens: z.number().int().nonnegative(),
});
export type Usage = z.infer<typeof Usage>;

/** One candidate solution as stored in a run. `id` is the sample identity hash (see store/sample-id.ts). */
export const Sample = z.object({
  id: z.string(),
  problemId: z.string(),
  round: z.number().int().nonnegative(),
  phase: z.enum(['train', 'eval']),
  index: z.number().int().nonnegative(),
  text: z.string(),
  finishReason: z.string(),
  usage: Usage,
  model: z.string(),
  latencyMs: z.number().nonnegative(),
  cached: z.boolean(),
  /** Drawn from a rationalization prompt (gold answer given as a hint). */
  hinted: z.boolean(),
});
export type Sample = z.infer<typeof Sample>;
