import { z } from 'zod';
import { defineVerifier } from '../../src/verify/define.ts';
import { goldOrError } from '../../src/verify/gold.ts';
import {
  NUMBER_STRATEGIES,
  canonicalNumber,
  extractNumber,
  parseGoldNumber,
  type NumberStrategy,
} from './extract-number.ts';

const DEFAULT_ORDER: NumberStrategy[] = ['hash', 'answer-is', 'answer-line', 'boxed', 'last-number'];

const NumericOptions = z
  .object({
    /**
     * Where to look for the answer, first hit wins: `hash` (`#### N`), `answer-is` ("the answer
     * is N", "Answer: N"), `answer-line` (a line `A: N`), `boxed` (`\boxed{N}`), `last-number`.
     * Drop `last-number` to make answers without a marker unparseable.
     */
    extract: z.array(z.enum(NUMBER_STRATEGIES)).min(1).default(DEFAULT_ORDER),
    /** Largest absolute difference still counted equal. */
    absoluteTolerance: z.number().nonnegative().default(1e-6),
    /** Largest difference relative to the larger magnitude still counted equal (0.01 = 1%). */
    relativeTolerance: z.number().nonnegative().default(0),
  })
  .strict();

/** Grade-school arithmetic answers: GSM8K `#### N`, "The answer is N", `A: N`, `\boxed{N}`, last number. */
export const numeric = defineVerifier({
  id: 'numeric',
  description: 'Numeric final answer (GSM8K style), with thousands separators, currency, percent, fractions and tolerance',
  version: '1.2.0',
  options: NumericOptions,
  timeoutMs: 2_000,
  verify(problem, candidate, options) {
    const answer = goldOrError(problem);
    if (typeof answer !== 'string') return answer;
    const gold = parseGoldNumber(answer, options.extract);
    if (!gold) return { status: 'error', reason: `gold answer '${clip(answer)}' holds no number` };

    const found = extractNumber(candidate, options.extract);
    if (!found) return { status: 'unparseable', reason: `no number found (looked for: ${options.extract.join(', ')})` };

    const extracted = canonicalNumber(found.value);
    if (found.ambiguity) return { status: 'incorrect', reason: `read '${clip(found.text, 40)}' (${found.strategy}), but ${found.ambiguity}`, extracted };
    const difference = Math.abs(found.value - gold.value);
    const allowed = Math.max(options.absoluteTolerance, options.relativeTolerance * Math.max(Math.abs(found.value), Math.abs(gold.value)));
    const read = `read '${clip(found.text, 40)}' (${found.strategy})`;
    if (difference <= allowed) return { status: 'correct', reason: `${read} = gold ${canonicalNumber(gold.value)}`, extracted };
    return { status: 'incorrect', reason: `${read} = ${extracted}, gold is ${canonicalNumber(gold.value)}`, extracted };
  },
});

function clip(text: string, max = 80): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
