/**
 * Pulling numbers out of free text: the reading half of the `numeric` verifier, kept apart from
 * comparison so that the gold and the candidate go through the very same parser.
 */

/** Where a final answer may be found, tried in the order the verifier's options give. */
export const NUMBER_STRATEGIES = ['hash', 'boxed', 'answer-is', 'answer-line', 'last-number'] as const;
export type NumberStrategy = (typeof NUMBER_STRATEGIES)[number];

export interface ExtractedNumber {
  value: number;
  /** The text the number was read from, for verdict reasons. */
  text: string;
  strategy: NumberStrategy | 'plain';
}

const BODY = String.raw`(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)(?:[eE][-+]?\d+)?`;
// A sign touches the number or its currency symbol: "x = 20 - 5" holds a 5, not a -5.
const NUMBER_SOURCE = String.raw`(?<![\w.])([-−]?)((?:[$€£¥]\s?)?)([-−]?)(${BODY})(?:\s?\/\s?(${BODY}))?(?![\d])(\s?%)?`;

function numberPattern(): RegExp {
  return new RegExp(NUMBER_SOURCE, 'g');
}

function toValue(match: RegExpExecArray): number | undefined {
  const [, signBefore, , signAfter, numerator, denominator] = match;
  const negative = (signBefore !== '') !== (signAfter !== '');
  let value = Number(numerator.replace(/,/g, ''));
  if (denominator !== undefined) {
    const divisor = Number(denominator.replace(/,/g, ''));
    if (divisor === 0) return undefined;
    value /= divisor;
  }
  if (!Number.isFinite(value)) return undefined;
  return negative ? -value : value;
}

/** Every number in `text`, in order: thousands separators, currency, percent, signs, fractions. */
function* numbersIn(text: string): Generator<{ value: number; text: string }> {
  const pattern = numberPattern();
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    const value = toValue(match);
    if (value !== undefined) yield { value, text: match[0].trim() };
  }
}

function findNumbers(text: string): { value: number; text: string }[] {
  return [...numbersIn(text)];
}

function firstNumber(text: string): { value: number; text: string } | undefined {
  for (const number of numbersIn(text)) return number;
  return undefined;
}

/** Turns the LaTeX a boxed answer is written in into plain text the number parser reads. */
export function delatex(text: string): string {
  let out = text;
  for (let i = 0; i < 4 && /\\[dt]?frac/.test(out); i++) {
    out = out.replace(/\\[dt]?frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}/g, '($1)/($2)').replace(/\\[dt]?frac\s*(\d)\s*(\d)/g, '$1/$2');
  }
  return out
    .replace(/\\(?:text|textbf|mathrm|mbox)\s*\{([^{}]*)\}/g, ' $1 ')
    .replace(/\{,\}/g, ',')
    .replace(/\\[$%]/g, (m) => m.slice(1))
    .replace(/\\[,!;: ]/g, '')
    .replace(/\\(?:left|right|displaystyle)/g, '')
    .replace(/\(([^()]*)\)\/\(([^()]*)\)/g, '$1/$2');
}

/** The contents of every `\boxed{...}` / `\fbox{...}`, braces balanced, in order. */
export function boxedContents(text: string): string[] {
  const found: string[] = [];
  const opener = /\\(?:boxed|fbox)\s*\{/g;
  for (let match = opener.exec(text); match !== null; match = opener.exec(text)) {
    let depth = 1;
    let i = opener.lastIndex;
    for (; i < text.length && depth > 0; i++) {
      if (text[i] === '{') depth++;
      else if (text[i] === '}') depth--;
    }
    if (depth === 0) found.push(text.slice(opener.lastIndex, i - 1));
    opener.lastIndex = i;
  }
  return found;
}

function lastMatch(text: string, pattern: RegExp): RegExpExecArray | undefined {
  let last: RegExpExecArray | undefined;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) last = match;
  return last;
}

/**
 * The text after the last marker of each kind; models restate, and the final statement counts.
 * The text is captured in a lookahead so that a second marker on the same line is still seen, and
 * capped so that a long line full of markers costs linear, not quadratic, time.
 */
const MARKERS: Record<Exclude<NumberStrategy, 'boxed' | 'last-number'>, RegExp> = {
  hash: /^[ \t]*####[ \t]*(.*)$/gm,
  'answer-is': /\b(?:final answer|answer)\s*(?:is|was|would be|will be|=|:)\s*:?\s*(?=([^\n]{0,200}))/gi,
  'answer-line': /^[ \t]*(?:A|Answer|Final Answer)[ \t]*:[ \t]*(.*)$/gim,
};

/** GSM8K calculator annotations (`<<16-3=13>>`) hold intermediate numbers, never the answer. */
function stripCalculatorNotes(text: string): string {
  return text.replace(/<<[^<>\n]*>>/g, '');
}

function extractBy(strategy: NumberStrategy, text: string): ExtractedNumber | undefined {
  if (strategy === 'boxed') {
    const boxes = boxedContents(text);
    for (let i = boxes.length - 1; i >= 0; i--) {
      const number = firstNumber(delatex(boxes[i]));
      if (number) return { ...number, strategy };
    }
    return undefined;
  }
  if (strategy === 'last-number') {
    const numbers = findNumbers(text);
    const last = numbers[numbers.length - 1];
    return last && { ...last, strategy };
  }
  const marker = lastMatch(text, new RegExp(MARKERS[strategy].source, MARKERS[strategy].flags));
  const number = marker && firstNumber(delatex(marker[1]));
  return number && { ...number, strategy };
}

/** The answer number of a free-text solution, trying `order` strategy by strategy. */
export function extractNumber(text: string, order: readonly NumberStrategy[]): ExtractedNumber | undefined {
  const cleaned = stripCalculatorNotes(text);
  for (const strategy of order) {
    const found = extractBy(strategy, cleaned);
    if (found) return found;
  }
  return undefined;
}

/**
 * A gold answer is a bare number ("1,200", "$5", "3/4") or a worked solution ending in `#### N`;
 * a bare number is taken whole so that "3/4" is never read as its last number, 4.
 */
export function parseGoldNumber(gold: string, order: readonly NumberStrategy[]): ExtractedNumber | undefined {
  const trimmed = delatex(gold.trim());
  const whole = new RegExp(`^${NUMBER_SOURCE}$`).exec(trimmed);
  const value = whole && toValue(whole);
  if (value !== undefined && value !== null) return { value, text: trimmed, strategy: 'plain' };
  // The gold is trusted text, so it may always fall back to its last number.
  const ordered = [...new Set<NumberStrategy>(['hash', ...order, 'last-number'])];
  return extractNumber(gold, ordered);
}

/** One canonical spelling per value, so equal answers vote together in maj@k. */
export function canonicalNumber(value: number): string {
  if (Object.is(value, -0)) return '0';
  if (Number.isInteger(value) && Math.abs(value) < Number.MAX_SAFE_INTEGER) return String(value);
  return String(Number(value.toPrecision(12)));
}
