/**
 * One verdict: read the gold first, then the candidate, then run the equivalence cascade within
 * the time budget. Only the first candidate answer that parses is judged: trying every number in
 * a solution until one matches would pass wrong answers.
 */
import type { VerdictResult } from '../../src/verify/define.ts';
import { parseAnswer, parseNormalized, type Answer, type ParsedAnswer } from './answer.ts';
import { Budget, BudgetExceeded } from './budget.ts';
import { extractChoice, goldChoice } from './choice.ts';
import { compareParsed } from './compare.ts';
import { safeEvaluate } from './expr.ts';
import { extractAnswers, extractGold, wordCount, type Extraction } from './extract.ts';
import { comparableString } from './normalize.ts';
import type { MathOptions } from './options.ts';

function firstParsed(extractions: Extraction[], options: MathOptions): { parsed: ParsedAnswer; from: Extraction } | undefined {
  let fallback: { parsed: ParsedAnswer; from: Extraction } | undefined;
  for (const extraction of extractions) {
    const parsed = parseAnswer(extraction.text, options.maxAnswerLength);
    if (parsed.normalized === '') continue;
    // What the model boxed or called its final answer is its answer, readable or not (`204_5`); an
    // unreadable sentence met by the weaker rules (whole text, last math) gives way to the next rule.
    const weak = extraction.source === 'whole' || (extraction.source === 'math' && wordCount(parsed.normalized) > 0);
    if (parsed.answer.kind !== 'raw' || !weak) return { parsed, from: extraction };
    fallback ??= { parsed, from: extraction };
  }
  return fallback;
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(12)));
}

/** A canonical text for majority voting: equal constants print equally (`\frac12` and `0.5` both `0.5`). */
export function canonicalAnswer(answer: Answer, normalized: string): string {
  switch (answer.kind) {
    case 'expr': {
      if (answer.expr.variables.length > 0) break;
      const value = safeEvaluate(answer.expr, {});
      if (!value || Array.isArray(value) || Math.abs(value.im) > 1e-12 || !Number.isFinite(value.re)) break;
      return formatNumber(value.re) + (answer.percent ? '%' : '');
    }
    case 'list': {
      const items = answer.items.map((item) => canonicalAnswer(item, item.kind === 'raw' || item.kind === 'text' ? item.text : ''));
      if (items.some((item) => item === '')) break;
      if (answer.bracket === 'none' || answer.bracket === 'brace') items.sort();
      const [open, close] = { none: ['', ''], paren: ['(', ')'], square: ['[', ']'], brace: ['{', '}'] }[answer.bracket];
      return `${open}${items.join(',')}${close}`;
    }
    case 'text':
      return answer.text;
    case 'relation':
      if (answer.value) return canonicalAnswer(answer.value, '');
      break;
  }
  return normalized === '' ? '' : comparableString(normalized);
}

export function judgeMath(gold: string | undefined, candidate: string, options: MathOptions, signal?: AbortSignal): VerdictResult {
  if (gold === undefined || gold.trim() === '') return { status: 'error', reason: 'the problem has no gold answer' };
  if (options.choices === 'auto') {
    const letter = goldChoice(gold);
    if (letter) {
      const chosen = extractChoice(candidate);
      if (chosen) {
        const correct = chosen === letter;
        return { status: correct ? 'correct' : 'incorrect', reason: `choice ${chosen} ${correct ? '=' : '≠'} gold ${letter}`, extracted: chosen };
      }
    }
  }
  const goldRead = firstParsed(extractGold(gold), options);
  if (!goldRead) return { status: 'error', reason: `the gold answer '${gold.slice(0, 80)}' has no readable answer` };
  const predRead = firstParsed(extractAnswers(candidate, options), options);
  if (!predRead) return { status: 'unparseable', reason: 'no answer found in the candidate' };
  const extracted = canonicalAnswer(predRead.parsed.answer, predRead.parsed.normalized);
  const budget = new Budget(options.budgetMs, signal);
  try {
    const result = compareParsed(goldRead.parsed, predRead.parsed, { options, budget, parse: parseNormalized });
    const shown = `'${predRead.parsed.normalized.slice(0, 120)}' (${predRead.from.source}) vs gold '${goldRead.parsed.normalized.slice(0, 120)}'`;
    // Undecided is not a verdict on the answer: it is reported as unreadable, never guessed.
    const status = result.decision === 'equal' ? 'correct' : result.decision === 'different' ? 'incorrect' : 'unparseable';
    return { status, reason: `${result.via}: ${shown}`, extracted };
  } catch (error) {
    if (error instanceof BudgetExceeded) return { status: 'error', reason: error.message, extracted };
    throw error;
  }
}
