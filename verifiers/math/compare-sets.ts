/**
 * Lists, tuples, sets and unions of intervals: tuples in order, sets and bare lists as sets (or in
 * order when asked), interval ends by value with their brackets, unions as sets of pieces.
 */
import type { Answer, Range } from './answer.ts';
import type { Context } from './compare-context.ts';
import { everyEqual, someEqual, type Decision } from './decision.ts';

type Union = Extract<Answer, { kind: 'union' }>;
type List = Extract<Answer, { kind: 'list' }>;

/** Items that name distinct variables (`x = 2, y = 3`): their order says which value is which. */
function distinctlyNamed(items: Answer[]): boolean {
  const names = items.map((item) => (item.kind === 'relation' ? item.name : undefined));
  return names.length > 1 && names.every((name) => name !== undefined) && new Set(names).size === names.length;
}

function isOrdered(gold: List, pred: List, options: Context['options']): boolean {
  const brackets = [gold.bracket, pred.bracket];
  if (brackets.includes('paren') || brackets.includes('square')) return true;
  if (brackets.includes('brace')) return false;
  // Named on both sides, names pair the items; named on one side only, the order has to.
  if (distinctlyNamed(gold.items) !== distinctlyNamed(pred.items)) return true;
  return options.lists === 'ordered';
}

/** Every item of each side has an equal item on the other side (duplicates do not count). */
export function sameSet(gold: Answer[], pred: Answer[], context: Context): Decision {
  const covered = (from: Answer[], to: Answer[], fromIsGold: boolean) =>
    everyEqual(from, (item) => someEqual(to, (other) => (fromIsGold ? context.compare(item, other) : context.compare(other, item))));
  return everyEqual([true, false], (goldFirst) => (goldFirst ? covered(gold, pred, true) : covered(pred, gold, false)));
}

export function listsEqual(gold: List, pred: List, context: Context): Decision {
  if (isOrdered(gold, pred, context.options)) {
    if (gold.items.length !== pred.items.length) return 'different';
    return everyEqual(gold.items, (item, i) => context.compare(item, pred.items[i]));
  }
  return sameSet(gold.items, pred.items, context);
}

function isInfinite(end: Answer): boolean {
  return end.kind === 'expr' && /Infinity/.test(end.expr.source) && end.expr.variables.length === 0;
}

function rangesEqual(gold: Range, pred: Range, context: Context): Decision {
  const closedMatch = (a: boolean, b: boolean, end: Answer) => a === b || isInfinite(end);
  if (!closedMatch(gold.loClosed, pred.loClosed, gold.lo) || !closedMatch(gold.hiClosed, pred.hiClosed, gold.hi)) return 'different';
  return everyEqual([0, 1], (end) => (end === 0 ? context.compare(gold.lo, pred.lo) : context.compare(gold.hi, pred.hi)));
}

export function unionsEqual(gold: Union, pred: Union, context: Context): Decision {
  if (gold.ranges.length !== pred.ranges.length) return 'different';
  const covered = (from: Range[], to: Range[], fromIsGold: boolean) =>
    everyEqual(from, (range) => someEqual(to, (other) => (fromIsGold ? rangesEqual(range, other, context) : rangesEqual(other, range, context))));
  return everyEqual([0, 1, 2], (step) =>
    step === 0 ? covered(gold.ranges, pred.ranges, true) : step === 1 ? covered(pred.ranges, gold.ranges, false) : sameSet(gold.points, pred.points, context),
  );
}

/** `(a, b)` written as a pair may be the open interval. */
export function asOpenRange(list: List): Union | undefined {
  return list.bracket === 'paren' && list.items.length === 2
    ? { kind: 'union', ranges: [{ lo: list.items[0], hi: list.items[1], loClosed: false, hiClosed: false }], points: [] }
    : undefined;
}
