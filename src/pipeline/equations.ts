/**
 * The equations of a reasoning path, for rejection-sampling fine-tuning's dedupe (Yuan et al. 2023,
 * "Scaling Relationship on Learning Mathematical Reasoning with Large Language Models"): two paths
 * with the same list of equations are the same path. Their code (collect_rejection_sampling.py)
 * reads GSM8K's calculator annotations `<<48/2=24>>`, drops the spaces and joins them with `|`.
 * A path without annotations is read for equations written out, `48 / 2 = 24`, so models that
 * were never taught the annotation format can be deduplicated too.
 */

const ANNOTATION = /<<([^<>]*)>>/g;

/** A number: digits with optional thousands separators, decimals, a currency sign or a percent. */
const NUMBER = String.raw`[$€£]?\d[\d,]*(?:\.\d+)?%?`;
const OPERATOR = '[-+*/×÷^x]';
/** `a op b [op c …] = d`: at least one operator on the left, a number on the right; brackets allowed. */
const WRITTEN = new RegExp(String.raw`\(*${NUMBER}\)*(?:\s*${OPERATOR}\s*\(*${NUMBER}\)*)+\s*=\s*-?${NUMBER}`, 'g');

/** One equation in a canonical spelling: no spaces, separators or currency; `×`/`x` → `*`, `÷` → `/`. */
export function canonicalEquation(equation: string): string {
  return equation
    .replace(/\s+/g, '')
    .replace(/(\d),(?=\d{3}\b)/g, '$1')
    .replace(/[$€£]/g, '')
    .replace(/[×x]/g, '*')
    .replace(/÷/g, '/');
}

/** The path's equations in order: its `<<…>>` annotations when it has any, else the equations written in its text. */
export function equationList(text: string): string[] {
  const annotations = [...text.matchAll(ANNOTATION)].map((m) => canonicalEquation(m[1]));
  if (annotations.length > 0) return annotations;
  return [...text.matchAll(WRITTEN)].map((m) => canonicalEquation(m[0]));
}

/** The dedupe key: the equation list joined as RFT joins it; every path without an equation shares the empty key. */
export function equationKey(text: string): string {
  return equationList(text).join('|');
}
