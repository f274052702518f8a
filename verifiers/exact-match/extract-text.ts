/** Text normalization and answer extraction for the `exact-match` verifier. */
import { boxedContents } from '../../src/util/boxed.ts';

export interface TextNormalization {
  caseSensitive: boolean;
  whitespace: 'collapse' | 'remove' | 'keep';
  punctuation: 'keep' | 'trim' | 'remove';
  articles: boolean;
  unicode: 'nfkc' | 'none';
}

// Only sentence punctuation, quotes and markdown emphasis: trimming '+' or '#' would make "C" match "C++".
const EDGE_CHARACTER = /^[\s.,;:!?"'`*“”‘’«»]$/u;
const ALL_PUNCTUATION = /[\p{P}\p{S}]/gu;

/** The comparable form of an answer; gold and candidate go through the same steps. */
export function normalizeText(text: string, options: TextNormalization): string {
  let out = options.unicode === 'nfkc' ? text.normalize('NFKC') : text;
  if (!options.caseSensitive) out = out.toLowerCase();
  if (options.punctuation === 'remove') out = out.replace(ALL_PUNCTUATION, ' ');
  if (options.punctuation === 'trim') out = trimEdges(out);
  if (options.articles) out = out.replace(/\b(?:a|an|the)\b/gi, ' ');
  if (options.whitespace === 'remove') return out.replace(/\s+/g, '');
  if (options.whitespace === 'collapse') return out.replace(/\s+/g, ' ').trim();
  return out;
}

/** Trims sentence punctuation and space at both ends; a loop, since an anchored `[…]+$` is quadratic on long runs. */
function trimEdges(text: string): string {
  const chars = [...text];
  let start = 0;
  let end = chars.length;
  while (start < end && EDGE_CHARACTER.test(chars[start])) start++;
  while (end > start && EDGE_CHARACTER.test(chars[end - 1])) end--;
  return chars.slice(start, end).join('');
}

/** The last `\boxed{...}` of a candidate with `\text{...}` wrappers removed, if it has one. */
function lastBoxedText(text: string): string | undefined {
  const box = boxedContents(text).at(-1);
  return box?.replace(/\\(?:text|textbf|textrm|mathrm|mbox)\s*\{([^{}]*)\}/g, '$1').trim();
}

/**
 * Without a pattern: the last `\boxed{...}` (the convention of models tuned on MATH-style data),
 * else what follows the last "answer is" / "Answer:" marker, else the whole text.
 */
export function extractAnswerText(text: string): string {
  const boxed = lastBoxedText(text);
  if (boxed !== undefined) return boxed;
  // Captured in a capped lookahead: a second marker on the line still counts, in linear time.
  const marker = /\b(?:final answer|answer)\s*(?:is|:)\s*:?[ \t]*(?=(\S[^\n]{0,499}))/gi;
  let last: string | undefined;
  for (let match = marker.exec(text); match !== null; match = marker.exec(text)) last = match[1];
  return (last ?? text).trim();
}

/**
 * The choice letter a candidate settles on, among `choices` (e.g. "ABCD"): "the answer is (B)",
 * "Answer: B", a line starting "(B)" or "B)", or a candidate that is just the letter. Inside
 * prose the letter must be written as in `choices`, so "the answer is a bit long" is not choice A.
 */
export function extractChoice(text: string, choices: string): string | undefined {
  const letters = `[${escapeClass(choices)}]`;
  // An answer statement outranks a mere mention: "The answer is B; option D is wrong" chose B.
  const patterns = [
    new RegExp(String.raw`\b(?:final answer|answer)\s*(?:is|:)?\s*:?\s*(?:option\s*|choice\s*)?[(\[]?(${letters})\b[)\].]?`, 'gi'),
    new RegExp(String.raw`\b(?:option|choice)\s*(?:is|:)?\s*:?\s*[(\[]?(${letters})\b[)\].]?`, 'gi'),
    new RegExp(String.raw`^\s*[(\[](${letters})[)\]]`, 'gim'),
    new RegExp(String.raw`^\s*(${letters})[).:](?:\s|$)`, 'gim'),
    new RegExp(String.raw`[(\[](${letters})[)\]]`, 'gi'),
  ];
  const asLetter = (answer: string) => {
    const bare = answer.trim().replace(/^[([]|[)\].]$/g, '');
    return bare.length === 1 && choices.toUpperCase().includes(bare.toUpperCase()) ? bare.toUpperCase() : undefined;
  };
  // A candidate that is just the letter, or boxes one, has settled on it.
  const boxed = lastBoxedText(text);
  const settled = asLetter(text) ?? (boxed === undefined ? undefined : asLetter(boxed));
  if (settled !== undefined) return settled;
  for (const pattern of patterns) {
    let last: string | undefined;
    for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
      if (choices.includes(match[1])) last = match[1];
    }
    if (last !== undefined) return last.toUpperCase();
  }
  return undefined;
}

function escapeClass(chars: string): string {
  return chars.replace(/[\\\]^-]/g, '\\$&');
}
