/**
 * The equivalence cascade over parsed answers, gold first: normalized strings, then by structure
 * (relations; numbers in a base; lists, tuples and sets; intervals; ratios), down to expressions.
 * Each step says equal, different, or unknown when it cannot decide; unknown never becomes equal.
 */
import type { Answer, ParsedAnswer } from './answer.ts';
import type { Budget } from './budget.ts';
import { unknown, type Context } from './compare-context.ts';
import { exprEqual } from './compare-expr.ts';
import { relationEqual } from './compare-relations.ts';
import { asOpenRange, listsEqual, unionsEqual } from './compare-sets.ts';
import { decided, everyEqual, someEqual, type Decision } from './decision.ts';
import { basedValue } from './notation.ts';
import { comparableString } from './normalize.ts';
import type { MathOptions } from './options.ts';

type Based = Extract<Answer, { kind: 'based' }>;

function textOf(answer: Answer): string | undefined {
  return answer.kind === 'raw' || answer.kind === 'expr' || answer.kind === 'text' || answer.kind === 'based' ? answer.text : undefined;
}

/** What could not be read is equal only to the same text; anything else is undecided. */
function rawEqual(gold: Answer, pred: Answer, context: Context): Decision {
  const [a, b] = [textOf(gold), textOf(pred)];
  if (a !== undefined && b !== undefined && comparableString(a) === comparableString(b)) return 'equal';
  const unreadable = gold.kind === 'raw' ? gold.text : (pred as { text: string }).text;
  return unknown(context, `'${unreadable.slice(0, 60)}' could not be read`);
}

/** `4210_7` is `4210_{7}` and the digits `4210`; another base, or the same value in base 10, is not. */
function basedEqual(gold: Answer, pred: Answer, context: Context): Decision {
  if (gold.kind === 'based' && pred.kind === 'based') return decided(gold.base === pred.base && gold.digits === pred.digits);
  const [based, other] = (gold.kind === 'based' ? [gold, pred] : [pred, gold]) as [Based, Answer];
  const source = other.kind === 'expr' ? other.expr.source.replace(/\s+/g, '') : '';
  if (!/^-?\d+$/.test(source)) return 'different';
  const digits = source.replace(/^(-?)0+(?=.)/, '$1');
  if (digits === based.digits) return 'equal';
  if (BigInt(digits) === basedValue(based)) return unknown(context, `${digits} is ${based.text} in base 10; which base was asked is not known`);
  return 'different';
}

/** Gold-first equality of two parsed answers. */
export function answersEqual(gold: Answer, pred: Answer, context: Context): Decision {
  context.budget.check();
  if (gold.kind === 'raw' || pred.kind === 'raw') return rawEqual(gold, pred, context);
  if (gold.kind === 'relation' || pred.kind === 'relation') return relationEqual(gold, pred, context);
  if (gold.kind === 'based' || pred.kind === 'based') return basedEqual(gold, pred, context);
  // As sets, `15\frac{39}{40}, \frac{639}{40}` (one value written twice) is that value.
  if (pred.kind === 'list' && pred.bracket === 'none' && gold.kind !== 'list' && context.options.lists === 'unordered') {
    return pred.items.length === 0 ? 'different' : everyEqual(pred.items, (item) => answersEqual(gold, item, context));
  }
  // A one-item list is its item; `(a, b)` may be an open interval.
  if (gold.kind === 'list' && gold.items.length === 1 && pred.kind !== 'list') return answersEqual(gold.items[0], pred, context);
  if (pred.kind === 'list' && pred.items.length === 1 && gold.kind !== 'list') return answersEqual(gold, pred.items[0], context);
  if (gold.kind === 'list' && pred.kind === 'union') {
    const range = asOpenRange(gold);
    return range === undefined ? 'different' : unionsEqual(range, pred, context);
  }
  if (gold.kind === 'union' && pred.kind === 'list') {
    const range = asOpenRange(pred);
    return range === undefined ? 'different' : unionsEqual(gold, range, context);
  }
  if (gold.kind !== pred.kind) return 'different';
  switch (gold.kind) {
    case 'text':
      return decided(gold.text === (pred as typeof gold).text);
    case 'expr':
      return exprEqual(gold, pred as typeof gold, context);
    case 'list':
      return listsEqual(gold, pred as typeof gold, context);
    case 'union':
      return unionsEqual(gold, pred as typeof gold, context);
    case 'ratio': {
      const other = (pred as typeof gold).parts;
      return gold.parts.length === other.length ? everyEqual(gold.parts, (part, i) => answersEqual(part, other[i], context)) : 'different';
    }
  }
  return 'different';
}

export interface Comparison {
  decision: Decision;
  via: string;
}

export function compareParsed(
  gold: ParsedAnswer,
  pred: ParsedAnswer,
  settings: { options: MathOptions; budget: Budget; parse: (normalized: string) => Answer },
): Comparison {
  if (comparableString(gold.normalized) === comparableString(pred.normalized)) return { decision: 'equal', via: 'equal after normalization' };
  const context: Context = { ...settings, unknowns: [], compare: (a, b) => answersEqual(a, b, context) };
  const golds = [gold.answer, ...(gold.alternative ? [gold.alternative] : [])];
  const preds = [pred.answer, ...(pred.alternative ? [pred.alternative] : [])];
  const decision = someEqual(golds, (g) => someEqual(preds, (p) => answersEqual(g, p, context)));
  const kinds = `${gold.answer.kind} vs ${pred.answer.kind}`;
  if (decision === 'equal') return { decision, via: `equivalent (${kinds})` };
  if (decision === 'unknown') return { decision, via: `cannot decide (${context.unknowns.join('; ') || kinds})` };
  return { decision, via: `not equivalent (${kinds})` };
}
