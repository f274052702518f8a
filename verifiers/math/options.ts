import { z } from 'zod';

/** Policies of the `math` verifier; every field has a default so `{}` is a complete config. */
export const MathOptions = z
  .object({
    /** Bare comma lists (`1, 2, 3`) compare as sets by default; `ordered` compares them in order. Parenthesized tuples are always ordered. */
    lists: z.enum(['unordered', 'ordered']).default('unordered'),
    /** How `p%` relates to plain numbers: `either` accepts `p` and `p/100`, `fraction` only `p/100`, `ignore` only `p`. */
    percent: z.enum(['either', 'fraction', 'ignore']).default('either'),
    /**
     * Unset: exact values compare exactly, and a decimal with at least 3 significant digits matches a
     * value whose expansion does not end when it is that value correctly rounded (`\frac13` ~ `0.333`).
     * Set: two numbers are equal when they agree after rounding both to this many decimal places.
     */
    precision: z.number().int().min(0).max(15).optional(),
    /** Two numbers are also equal when they differ by at most this fraction of the larger magnitude. */
    relativeTolerance: z.number().min(0).max(0.5).default(0),
    /** Whether `x \in [a, b]` and `a \le x \le b` (and single inequalities) may match intervals. */
    setRelations: z.boolean().default(true),
    /** Whether a candidate with no LaTeX answer may be answered by the last plain number in its text. */
    plainNumbers: z.boolean().default(true),
    /** `auto`: a gold that is a choice letter (`C`, `(C) text`) is compared as a multiple-choice letter. */
    choices: z.enum(['auto', 'off']).default('auto'),
    /** Random points at which symbolic expressions must agree. */
    samplePoints: z.number().int().min(2).max(64).default(8),
    /** Time budget of one comparison, in milliseconds, inside the runner's own time limit. */
    budgetMs: z.number().int().positive().max(60_000).default(2_000),
    /** Longest answer text that is parsed; longer answers are compared as strings only. */
    maxAnswerLength: z.number().int().positive().max(100_000).default(2_000),
  })
  .strict();
export type MathOptions = z.output<typeof MathOptions>;
