import type { Rng } from './rng.ts';

/**
 * The built-in task: fixed-width reversed addition. Operands (at most WIDTH digits) are written
 * least significant digit first and zero-padded to WIDTH digits; the answer is the sum, also
 * reversed, padded to WIDTH + 1 digits. `54321+09876=` asks for 12345 + 67890 = 80235, answered
 * `532080`; the 2-digit `12+34` is `21000+43000=`, answered `640000`.
 * Reversal lets a left-to-right model produce each digit after the carry that decides it; the
 * fixed width puts digit k of every problem at the same positions, so longer problems differ
 * from short ones only in carrying non-zero high digits (which a model with learned positions
 * can pick up from a small seed of long problems, and cannot from none).
 *
 * The sum's units digit is kept non-zero: the answer then never starts with 0, so a numeric
 * verifier that compares values cannot accept an answer with the wrong number of digits.
 */
/** Operand width of every problem; the answer has one more digit. */
export const WIDTH = 5;

export interface ArithProblem {
  /** Operands are below 10^digits (the difficulty); the text is always WIDTH wide. */
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
    prompt: `${reversedDigits(a, WIDTH)}+${reversedDigits(b, WIDTH)}=`,
    answer: reversedDigits(a + b, WIDTH + 1),
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

/**
 * The base model's training mixture: mostly 1–3 digits, plus a small seed of longer problems.
 * The seed share sets where STaR starts. Measured with scripts/train-base.ts (1200 steps, greedy
 * 5-digit accuracy): 1% → 1.5%, 1.5% → 2.5%, 2% → 23%, 3% → 72% (little left for STaR to do).
 * 2% leaves 5-digit pass@1 (temperature 1) near 13% with most problems solvable in 8 samples.
 */
export interface EasyMixture {
  easyDigits: number[];
  seedDigits: number[];
  /** Share of examples drawn from `seedDigits`. */
  seedFraction: number;
}

export const DEFAULT_EASY_MIXTURE: EasyMixture = { easyDigits: [1, 2, 3], seedDigits: [4, 5], seedFraction: 0.02 };

export function drawFromMixture(rng: Rng, mixture: EasyMixture): ArithProblem {
  const pool = rng.next() < mixture.seedFraction ? mixture.seedDigits : mixture.easyDigits;
  return randomArithProblem(rng, pool[rng.int(pool.length)]);
}
