import { z } from 'zod';

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
