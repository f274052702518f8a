/**
 * Pulling numbers out of free text: the reading half of the `numeric` verifier, kept apart from
 * comparison so that the gold and the candidate go through the very same parser.
 */
import { boxedContents } from '../../src/util/boxed.ts';
/** Where a final answer may be found, tried in the order the verifier's options give. */
export const NUMBER_STRATEGIES = ['hash', 'boxed', 'answer-is', 'answer-line', 'last-number'] as const;
export type NumberStrategy = (typeof NUMBER_STRATEGIES)[number];

export interface ExtractedNumber {
  value: number;
  /** The text the number was read from, for verdict reasons. */
  text: string;
  strategy: NumberStrategy | 'plain';
  /** Why the stated answer is not one number ("42 (or 41)", "42-1"): such an answer never passes. */
  ambiguity?: string;
}

interface Stated {
  value: number;
  text: string;
  ambiguity?: string;
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
function* numbersIn(text: string): Generator<{ value: number; text: string; end: number }> {
  const pattern = numberPattern();
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    const value = toValue(match);
    if (value !== undefined) yield { value, text: match[0].trim(), end: match.index + match[0].length };
  }
}

function findNumbers(text: string): { value: number; text: string }[] {
  return [...numbersIn(text)].map(({ value, text: read }) => ({ value, text: read }));
}

function firstNumber(text: string): { value: number; text: string; end: number } | undefined {
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
  // Only a `####` line that starts with a number: a markdown heading ("#### Step 2: Money") is not one.
  hash: /^[ \t]*####[ \t]*(?=[*_ \t]*\\?[-−]?\\?[$€£¥]?[ \t]?[-−]?\.?\d)(.*)$/gm,
  // "The answer isn't 5" / "is not 5" rule a number out; they must not read as stating it.
  'answer-is': /\b(?:final answer|answer)\s*(?:(?:is|was|would be|will be)\b(?!\s*not\b)|=|:)\s*:?\s*(?=([^\n]{0,200}))/gi,
  // Case-sensitive "A:", so a variable line "a: 3" in the working is not read as the answer.
  'answer-line': /^[ \t]*(?:A|[Aa]nswer|ANSWER|[Ff]inal [Aa]nswer|FINAL ANSWER)[ \t]*:[ \t]*(.*)$/gm,
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
  if (!marker) return undefined;
  // "A: She has 16 - 3 = 13 eggs. She sells …" is reasoning after a few-shot "A:", not an answer.
  if (strategy === 'answer-line' && /[.!?;]\s+\S/.test(marker[1])) return undefined;
  const after = text.slice(marker.index + marker[0].length);
  const number = correctedNumber(after) ?? (strategy === 'answer-is' ? boxInSentence(after) : undefined) ?? statedNumber(delatex(marker[1]));
  return number && { value: number.value, text: number.text, strategy, ...(number.ambiguity ? { ambiguity: number.ambiguity } : {}) };
}

/**
 * "The answer is $3! \times 5! = \boxed{720}$": a box later in the marker's sentence is the final
 * answer, not the first operand after the marker.
 */
function boxInSentence(afterMarker: string): Stated | undefined {
  const end = /\.(?=\s|$)|\n/.exec(afterMarker)?.index ?? afterMarker.length;
  const opener = [...afterMarker.slice(0, end).matchAll(/\\(?:boxed|fbox)\s*\{/g)].at(-1);
  if (!opener) return undefined;
  const content = boxedContents(afterMarker.slice(opener.index))[0];
  const number = content === undefined ? undefined : firstNumber(delatex(content));
  return number && { value: number.value, text: number.text };
}

/**
 * "The answer is 12. Actually 13." settles on 13: reading 12 would pass a wrong answer. Only a cue
 * directly followed by a number counts, so "Wait, check: 12 = 3 * 4" leaves the answer alone.
 */
const CORRECTION = /\b(?:actually|wait|correction|oops|i mean)\b[\s,:;.!]*(?:no\b[\s,:;.!]*)?(?:(?:make that|it is|it's|it should be|the answer is)\s*:?\s*)?(?=[-−$€£¥]?\d)/gi;

function correctedNumber(afterMarker: string): Stated | undefined {
  const correction = lastMatch(afterMarker, new RegExp(CORRECTION.source, CORRECTION.flags));
  return correction && firstNumber(afterMarker.slice(correction.index + correction[0].length));
}

/** A second number offered beside the first: "42 (or 41)", "42, or maybe 41". */
const HEDGE = /\b(?:or|maybe|perhaps|possibly|alternatively)\b[^.!?;\d]{0,20}[-−$€£¥]?\d/i;
/** An operator and an operand right after the number: "42-1" is a calculation, not a result. */
const UNEVALUATED = /^\s*[-−+*×x÷/]\s*[-−$€£¥(]?\s*\d/;

/**
 * The number a marker's text states. "The answer is 3 + 4 = 7." states 7, not its first operand:
 * when the marker's sentence opens with a calculation, the result after its last `=` wins. An
 * explanation after the answer ("42 (= 6 × 7)") or a later sentence ("Check: 20 - 2 = 18") is
 * left alone. A sentence without a number ("Answer: Let's think step by step.") states nothing.
 * A hedge ("42 (or 41)") or a calculation without a result ("42-1") states no single number.
 */
function statedNumber(afterMarker: string): Stated | undefined {
  const sentenceEnd = /[.!?;](?=\s|$)/.exec(afterMarker);
  const sentence = sentenceEnd ? afterMarker.slice(0, sentenceEnd.index) : afterMarker;
  const firstEquals = sentence.indexOf('=');
  const opensWithCalculation = firstEquals >= 0 && /\d\s*[-−+*×x÷/]\s*[-−$€£¥(]?\s*\d/.test(sentence.slice(0, firstEquals));
  const result = opensWithCalculation ? firstNumber(sentence.slice(sentence.lastIndexOf('=') + 1)) : undefined;
  if (result) return { value: result.value, text: result.text };
  const first = firstNumber(sentence);
  if (!first) return undefined;
  const rest = sentence.slice(first.end);
  const stated = { value: first.value, text: first.text };
  if (firstEquals < 0 && UNEVALUATED.test(rest)) return { ...stated, ambiguity: `'${sentence.trim().slice(0, 40)}' is a calculation without a result` };
  if (HEDGE.test(rest)) return { ...stated, ambiguity: `'${sentence.trim().slice(0, 40)}' offers more than one answer` };
  return stated;
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
