import type { Rng } from './rng.ts';

/**
 * The built-in task: fixed-width reversed addition. Operands of n digits are written least
 * significant digit first and zero-padded to n digits; the answer is the sum, also reversed,
 * padded to n + 1 digits. `54321+09876=` asks for 12345 + 67890 = 80235, answered `532080`.
 * Reversal lets a left-to-right model produce each digit after the carry that decides it.
 *
 * The sum's units digit is kept non-zero: the answer then never starts with 0, so a numeric
 * verifier that compares values cannot accept an answer with the wrong number of digits.
 */
export interface ArithProblem {
  digits: number;
  a: number;
  b: number;
  prompt: string;
  /** The reversed, fixed-width sum: exactly what the model should write. */
  answer: string;
}

export function reversedDigits(value: number, width: number): string {
  return String(value).padStart(width, '0').split('').reverse().join('');
}

export function arithProblem(a: number, b: number, digits: number): ArithProblem {
  return {
    digits,
    a,
    b,
    prompt: `${reversedDigits(a, digits)}+${reversedDigits(b, digits)}=`,
    answer: reversedDigits(a + b, digits + 1),
  };
}

export function randomArithProblem(rng: Rng, digits: number): ArithProblem {
  const limit = 10 ** digits;
  for (;;) {
    const a = rng.int(limit);
    const b = rng.int(limit);
    if ((a + b) % 10 !== 0) return arithProblem(a, b, digits);
  }
}

/** The text the model is trained to write for a problem (its final number is the answer). */
export function arithCompletion(problem: ArithProblem): string {
  return problem.answer;
}

/** Recovers the problem from its prompt, or null when the text is not one of ours. */
export function parseArithPrompt(prompt: string): ArithProblem | null {
  const match = /^(\d+)\+(\d+)=$/.exec(prompt.trim());
  if (!match || match[1].length !== match[2].length) return null;
  const digits = match[1].length;
  const unreverse = (s: string) => Number(s.split('').reverse().join(''));
  return arithProblem(unreverse(match[1]), unreverse(match[2]), digits);
}

/** The base model's training mixture: mostly 1–3 digits, plus a small seed of longer problems. */
export interface EasyMixture {
  easyDigits: number[];
  seedDigits: number[];
  /** Share of examples drawn from `seedDigits`. */
  seedFraction: number;
}

export const DEFAULT_EASY_MIXTURE: EasyMixture = { easyDigits: [1, 2, 3], seedDigits: [4, 5], seedFraction: 0.03 };

export function drawFromMixture(rng: Rng, mixture: EasyMixture): ArithProblem {
  const pool = rng.next() < mixture.seedFraction ? mixture.seedDigits : mixture.easyDigits;
  return randomArithProblem(rng, pool[rng.int(pool.length)]);
}
