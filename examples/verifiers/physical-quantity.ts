/**
 * An example domain verifier: physics and engineering answers with units. "36 km/h" is correct
 * for a gold of "10 m/s", "3000 m" for "3 km"; "10 s" for "10 m" is wrong however close the
 * number. Units are parsed and converted by mathjs.
 *
 * Use it from a run config:
 *   verifiers: [./examples/verifiers/physical-quantity.ts]
 *   verifier: physical-quantity
 * and check it with:
 *   starloop verifiers test ./examples/verifiers/physical-quantity.ts --cases ./examples/verifiers/physical-quantity.cases.jsonl
 */
import { unit, type Unit } from 'mathjs';
import { defineVerifier } from 'starloop';
import { z } from 'zod';

const NUMBER = String.raw`[-−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][-+]?\d+)?`;
const UNIT = String.raw`[A-Za-z°Ωµμ][A-Za-z0-9°Ωµμ^²³]*(?:\s*[/*·]\s*[A-Za-zΩµμ][A-Za-z0-9^²³]*)*`;
const QUANTITY = new RegExp(String.raw`(?<![\w.])(${NUMBER})\s*(${UNIT})`, 'g');

/** Writes the symbols people type the way mathjs reads them. */
function normalizeUnitText(text: string): string {
  return text
    .replace(/\s+per\s+/gi, '/')
    .replace(/°\s*C\b/g, 'degC')
    .replace(/°\s*F\b/g, 'degF')
    .replace(/[µμ]/g, 'u')
    .replace(/Ω/g, 'ohm')
    .replace(/²/g, '^2')
    .replace(/³/g, '^3')
    .replace(/·/g, '*')
    .replace(/−/g, '-');
}

function parseQuantity(number: string, units: string): Unit | undefined {
  try {
    return unit(`${number.replace(/,/g, '')} ${units}`);
  } catch {
    return undefined;
  }
}

/** The last quantity with a unit mathjs knows, after the final "answer is" / "Answer:" if there is one. */
function extractQuantity(candidate: string): Unit | undefined {
  const text = normalizeUnitText(candidate);
  const markers = [...text.matchAll(/\b(?:final answer|answer)\s*(?:is|:)\s*:?/gi)];
  const last = markers[markers.length - 1];
  const region = last?.index !== undefined ? text.slice(last.index + last[0].length) : text;
  let found: Unit | undefined;
  for (const match of region.matchAll(QUANTITY)) {
    const quantity = parseQuantity(match[1], match[2]);
    if (quantity) {
      found = quantity;
      if (last) break;
    }
  }
  return found;
}

function parseGold(gold: string): Unit | undefined {
  const match = /^\s*(\S+)\s+(.+?)\s*$/.exec(normalizeUnitText(gold));
  return match ? parseQuantity(match[1], match[2]) : undefined;
}

export default defineVerifier({
  id: 'physical-quantity',
  description: 'Answers with units (m/s, kJ, degC, ...), converted to the gold unit and compared with a relative tolerance',
  version: '1.0.0',
  options: z
    .object({
      /** Rounding in worked answers: 1% by default. */
      relativeTolerance: z.number().nonnegative().default(0.01),
      /** Significant digits of the normalized answer, so equal answers vote together. */
      digits: z.number().int().min(1).max(15).default(4),
    })
    .strict(),
  timeoutMs: 2_000,
  verify(problem, candidate, options) {
    const gold = problem.answer === undefined ? undefined : parseGold(problem.answer);
    if (!gold) return { status: 'error', reason: `gold answer '${problem.answer ?? ''}' is not a number with a known unit, e.g. "9.8 m/s^2"` };
    const goldUnits = gold.formatUnits();
    const answer = extractQuantity(candidate);
    if (!answer) return { status: 'unparseable', reason: 'no number with a known unit found' };
    if (!answer.equalBase(gold)) {
      return { status: 'incorrect', reason: `${answer.toString()} does not convert to ${goldUnits}`, extracted: answer.toString() };
    }
    const expected = gold.toNumber(goldUnits);
    const got = answer.toNumber(goldUnits);
    const extracted = `${Number(got.toPrecision(options.digits))} ${goldUnits}`;
    const close = Math.abs(got - expected) <= options.relativeTolerance * Math.max(Math.abs(got), Math.abs(expected));
    return {
      status: close ? 'correct' : 'incorrect',
      reason: `${answer.toString()} = ${extracted}; gold ${gold.toString()}${close ? '' : ` (off by more than ${options.relativeTolerance * 100}%)`}`,
      extracted,
    };
  },
});
