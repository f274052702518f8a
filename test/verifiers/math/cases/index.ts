import { identities } from './identities.ts';
import { bases, degrees, units } from './notation.ts';
import { decimals, mixedNumbers, percents } from './numbers.ts';
import { relations } from './relations.ts';
import type { Case } from './types.ts';

export type { Case, Verdict } from './types.ts';

/** Every rule table of the `math` verifier, by rule; the near-miss mutation suite mutates their golds. */
export const ruleTables: Record<string, Case[]> = {
  'relations': relations,
  'mixed numbers': mixedNumbers,
  'decimals': decimals,
  'percent': percents,
  'units and words': units,
  'base subscripts': bases,
  'degrees': degrees,
  'identities and undecidable answers': identities,
};
