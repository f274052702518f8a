import { z } from 'zod';

/** `unparseable` never passes; a verifier crash or time-out is `error`, never a silent fail or pass. */
export const VerdictStatus = z.enum(['correct', 'incorrect', 'unparseable', 'error']);
export type VerdictStatus = z.infer<typeof VerdictStatus>;

export const Verdict = z.object({
  status: VerdictStatus,
  score: z.number().min(0).max(1),
  reason: z.string(),
  extracted: z.string().optional(),
  durationMs: z.number().nonnegative(),
});
export type Verdict = z.infer<typeof Verdict>;

/**
 * A verdict as stored in a run: which sample it judges. A re-judged verdict (`starloop rejudge`,
 * `run --resume --rejudge errors`) is appended below the one it replaces, which stays in the file;
 * the last verdict of a sample is the one that counts.
 */
export const VerdictRecord = Verdict.extend({
  sampleId: z.string(),
  problemId: z.string(),
  round: z.number().int().nonnegative(),
  index: z.number().int().nonnegative(),
  hinted: z.boolean(),
  verifier: z.string(),
  rejudged: z.object({ at: z.string(), previous: VerdictStatus }).optional(),
});
export type VerdictRecord = z.infer<typeof VerdictRecord>;
