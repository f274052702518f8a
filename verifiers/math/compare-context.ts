import type { Answer } from './answer.ts';
import type { Budget } from './budget.ts';
import type { Decision } from './decision.ts';
import type { MathOptions } from './options.ts';

/** What every step of the equivalence cascade needs; `compare` is the cascade itself, for parts. */
export interface Context {
  options: MathOptions;
  budget: Budget;
  /** Parses normalized text, for sides of relations and bounds of relations turned into intervals. */
  parse: (normalized: string) => Answer;
  compare: (gold: Answer, pred: Answer) => Decision;
  /** Why comparisons could not be decided, for the verdict's reason. */
  unknowns: string[];
}

export function unknown(context: Context, why: string): Decision {
  if (context.unknowns.length < 4) context.unknowns.push(why);
  return 'unknown';
}
