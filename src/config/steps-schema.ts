import { z } from 'zod';

const positiveInt = z.number().int().positive();

/**
 * Optimizer steps per fine-tune, fixed or growing with the round: STaR starts with 40 steps and
 * adds 20% each outer loop (its released code: `int(40 * 1.2 ** (iteration - 1))`).
 */
export const StepsSchedule = z.union([
  positiveInt,
  z.array(positiveInt).min(1),
  z
    .object({
      start: positiveInt.describe('Steps of the first fine-tune (round 1).'),
      growth: z.number().min(1).max(10).describe('Factor per later round: round r trains floor(start × growth^(r−1)) steps.'),
    })
    .strict(),
]);
export type StepsSchedule = z.infer<typeof StepsSchedule>;

export const STEPS_DESCRIPTION =
  'Optimizer steps per fine-tune: a number (every round), a list (round r trains the r-th entry; the last repeats), or `{start, growth}` (round r trains floor(start × growth^(r−1)), e.g. STaR\'s `{start: 40, growth: 1.2}`).';
