import type { Case } from './types.ts';

/** Mixed numbers with and without braces, and in plain text, equal their decimal and improper forms. */
export const mixedNumbers: Case[] = [
  ['1\\frac12', '1.5', 'correct'],
  ['1\\frac{1}{2}', '\\frac32', 'correct'],
  ['2\\frac58', '2.625', 'correct'],
  ['2\\frac{5}{8}', '\\frac{21}{8}', 'correct'],
  ['1 1/2', '1.5', 'correct'],
  ['1 1/2', '\\frac{3}{2}', 'correct'],
  ['1.5', '1\\frac12', 'correct'],
  ['\\frac{21}{8}', '2 5/8', 'correct'],
  ['-1\\frac12', '-1.5', 'correct'],
  ['1\\frac12', '\\frac12', 'incorrect'],
  ['\\frac12', '1\\frac12', 'incorrect'],
  ['1 1/2', '\\frac12', 'incorrect'],
  ['\\frac12', '1 1/2', 'incorrect'],
  ['2\\frac58', '\\frac{10}{8}', 'incorrect'],
  ['2\\frac58', '2.58', 'incorrect'],
  ['2\\frac{5}{8}', '2\\frac{5}{9}', 'incorrect'],
  ['1\\frac12', '-1.5', 'incorrect'],
];

/**
 * Decimals: an exact gold whose expansion does not end is matched by its correct rounding with at
 * least 3 significant digits; a gold whose expansion ends must be matched exactly.
 */
export const decimals: Case[] = [
  ['\\frac13', '0.3333', 'correct'],
  ['\\frac13', '0.333', 'correct'],
  ['\\frac13', '0.33', 'incorrect'],
  ['\\frac13', '0.3334', 'incorrect'],
  ['\\frac13', '0.3', 'incorrect'],
  ['\\frac23', '0.667', 'correct'],
  ['\\frac23', '0.666', 'incorrect'],
  ['\\frac{\\pi}{2}', '1.5708', 'correct'],
  ['\\frac{\\pi}{2}', '1.57', 'correct'],
  ['\\frac{\\pi}{2}', '1.5707', 'incorrect'],
  ['\\frac{\\pi}{2}', '1.6', 'incorrect'],
  ['\\sqrt{2}', '1.414', 'correct'],
  ['\\sqrt{2}', '1.415', 'incorrect'],
  ['40\\pi', '125.664', 'correct'],
  ['40\\pi', '125.663', 'incorrect'],
  ['\\frac{1}{12}', '0.0833', 'correct'],
  ['\\frac{1}{12}', '0.083', 'incorrect'],
  ['\\frac{425}{3}', '141.7', 'correct'],
  ['\\frac{425}{3}', '142', 'incorrect'],
  ['0.333', '\\frac13', 'correct'],
  ['0.334', '\\frac13', 'incorrect'],
  ['2.314814814815 \\times 10^{-3}', '\\frac{1}{432}', 'correct'],
  ['2.314814814815 \\times 10^{-3}', '\\frac{1}{433}', 'incorrect'],
  ['\\frac12', '0.5', 'correct'],
  ['\\frac12', '0.50', 'correct'],
  ['\\frac12', '0.5000001', 'incorrect'],
  ['\\frac12', '0.49999999', 'incorrect'],
  ['\\frac18', '0.125', 'correct'],
  ['\\frac18', '0.13', 'incorrect'],
  ['\\frac18', '0.125001', 'incorrect'],
  ['12345678901234567891', '12345678901234567890', 'incorrect'],
  ['10^{12}', '10^{12} + 1', 'incorrect'],
  ['10^{400}', '10^{400} + 1', 'incorrect'],
  ['\\infty', '10^{400}', 'incorrect'],
];

/** A percent is p/100, or p itself when p ≥ 1 (the gold of a "what percent" question); ½% is never ½. */
export const percents: Case[] = [
  ['28\\%', '28', 'correct'],
  ['28\\%', '0.28', 'correct'],
  ['0.28', '28\\%', 'correct'],
  ['10', '10\\%', 'correct'],
  ['\\frac12', '50\\%', 'correct'],
  ['\\frac13', '33.3\\%', 'correct'],
  ['\\frac12', '\\frac{1}{2}\\%', 'incorrect'],
  ['0.5', '0.5\\%', 'incorrect'],
  ['\\frac12\\%', '\\frac12', 'incorrect'],
  ['28\\%', '0.29', 'incorrect'],
  ['28\\%', '2.8', 'incorrect'],
];
