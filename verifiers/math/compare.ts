/**
 * The equivalence cascade over parsed answers, gold first: normalized strings, then by structure
 * (lists, tuples and sets; intervals; relations; ratios), down to expressions (numeric, symbolic).
 */
import type { Answer, ParsedAnswer, Range, RelationOp } from './answer.ts';
import type { Budget } from './budget.ts';
import { expressionsEqual, relationsEqual } from './compare-expr.ts';
import { comparableString } from './normalize.ts';
import type { MathOptions } from './options.ts';
import { isLabel } from './structure.ts';

type Expr = Extract<Answer, { kind: 'expr' }>;
type Relation = Extract<Answer, { kind: 'relation' }>;
type Union = Extract<Answer, { kind: 'union' }>;
type List = Extract<Answer, { kind: 'list' }>;

export interface Context {
  options: MathOptions;
  budget: Budget;
  /** Parses normalized text, for bounds of relations turned into intervals. */
  parse: (normalized: string) => Answer;
}

function percentFactors(gold: Expr, pred: Expr, policy: MathOptions['percent']): [number, number][] {
  if (policy === 'ignore' || gold.percent === pred.percent) return [[1, 1]];
  if (policy === 'fraction') return [[gold.percent ? 0.01 : 1, pred.percent ? 0.01 : 1]];
  return gold.percent ? [[1, 1], [0.01, 1]] : [[1, 1], [1, 0.01]];
}

/** `90°` is 90 or π/2: a side in degrees may also be read in radians. */
function degreeFactors(gold: Expr, pred: Expr): [number, number][] {
  if (gold.degrees === pred.degrees) return [[1, 1]];
  const radians = Math.PI / 180;
  return gold.degrees ? [[1, 1], [radians, 1]] : [[1, 1], [1, radians]];
}

function exprEqual(gold: Expr, pred: Expr, context: Context): boolean {
  const factors = percentFactors(gold, pred, context.options.percent).flatMap(([goldPercent, predPercent]) =>
    degreeFactors(gold, pred).map(([goldDegrees, predDegrees]): [number, number] => [goldPercent * goldDegrees, predPercent * predDegrees]),
  );
  return factors.some(([goldFactor, predFactor]) =>
    expressionsEqual({ expr: gold.expr, factor: goldFactor }, { expr: pred.expr, factor: predFactor }, context.options, context.budget),
  );
}

function isOrdered(gold: List, pred: List, options: MathOptions): boolean {
  const brackets = [gold.bracket, pred.bracket];
  if (brackets.includes('paren') || brackets.includes('square')) return true;
  if (brackets.includes('brace')) return false;
  return options.lists === 'ordered';
}

/** Every item of each side has an equal item on the other side (duplicates do not count). */
function sameSet(gold: Answer[], pred: Answer[], context: Context): boolean {
  const covered = (from: Answer[], to: Answer[], fromIsGold: boolean) =>
    from.every((item) => to.some((other) => (fromIsGold ? answersEqual(item, other, context) : answersEqual(other, item, context))));
  return covered(gold, pred, true) && covered(pred, gold, false);
}

function listsEqual(gold: List, pred: List, context: Context): boolean {
  if (isOrdered(gold, pred, context.options)) {
    return gold.items.length === pred.items.length && gold.items.every((item, i) => answersEqual(item, pred.items[i], context));
  }
  return sameSet(gold.items, pred.items, context);
}

function rangesEqual(gold: Range, pred: Range, context: Context): boolean {
  const infinite = (end: Answer) => end.kind === 'expr' && /Infinity/.test(end.expr.source) && end.expr.variables.length === 0;
  const closedMatch = (a: boolean, b: boolean, end: Answer) => a === b || infinite(end);
  return (
    closedMatch(gold.loClosed, pred.loClosed, gold.lo) &&
    closedMatch(gold.hiClosed, pred.hiClosed, gold.hi) &&
    answersEqual(gold.lo, pred.lo, context) &&
    answersEqual(gold.hi, pred.hi, context)
  );
}

function unionsEqual(gold: Union, pred: Union, context: Context): boolean {
  if (gold.ranges.length !== pred.ranges.length) return false;
  const rangesCovered = (from: Range[], to: Range[]) => from.every((range) => to.some((other) => rangesEqual(range, other, context)));
  return rangesCovered(gold.ranges, pred.ranges) && rangesCovered(pred.ranges, gold.ranges) && sameSet(gold.points, pred.points, context);
}

const MIRROR: Record<RelationOp, RelationOp> = { '<': '>', '>': '<', '≤': '≥', '≥': '≤', '=': '=', '≠': '≠' };

/** `x > 5` → (5, ∞); `-2 ≤ x ≤ 7` → [-2, 7]; `x ≠ 3` → (-∞, 3) ∪ (3, ∞). Undefined when it is no such set. */
function relationAsUnion(relation: Relation, parse: (text: string) => Answer): Union | undefined {
  const { sides, ops } = relation;
  const infinity = (sign: string) => parse(`${sign}\\infty`);
  if (sides.length === 2) {
    const [variableFirst, bound, op] = isLabel(sides[0]) ? [true, sides[1], ops[0]] : isLabel(sides[1]) ? [true, sides[0], MIRROR[ops[0]]] : [false, '', ops[0]];
    if (!variableFirst) return undefined;
    const value = parse(bound);
    if (value.kind !== 'expr' || value.expr.variables.length > 0) return undefined;
    const below = (closed: boolean): Range => ({ lo: infinity('-'), hi: value, loClosed: false, hiClosed: closed });
    const above = (closed: boolean): Range => ({ lo: value, hi: infinity(''), loClosed: closed, hiClosed: false });
    switch (op) {
      case '<': return { kind: 'union', ranges: [below(false)], points: [] };
      case '≤': return { kind: 'union', ranges: [below(true)], points: [] };
      case '>': return { kind: 'union', ranges: [above(false)], points: [] };
      case '≥': return { kind: 'union', ranges: [above(true)], points: [] };
      case '≠': return { kind: 'union', ranges: [below(false), above(false)], points: [] };
      case '=': return { kind: 'union', ranges: [], points: [value] };
    }
  }
  if (sides.length === 3 && isLabel(sides[1])) {
    const ascending = ops.every((op) => op === '<' || op === '≤');
    const descending = ops.every((op) => op === '>' || op === '≥');
    if (!ascending && !descending) return undefined;
    const [lo, hi] = ascending ? [sides[0], sides[2]] : [sides[2], sides[0]];
    const [loOp, hiOp] = ascending ? [ops[0], ops[1]] : [ops[1], ops[0]];
    const loClosed = loOp === '≤' || loOp === '≥';
    const hiClosed = hiOp === '≤' || hiOp === '≥';
    const range: Range = { lo: parse(lo), hi: parse(hi), loClosed, hiClosed };
    // a ≤ |x| ≤ b with a ≥ 0 is [-b, -a] ∪ [a, b].
    if (/^\|.*\|$/.test(sides[1]) && !lo.trim().startsWith('-')) {
      const mirrored: Range = { lo: parse(`-(${hi})`), hi: parse(`-(${lo})`), loClosed: hiClosed, hiClosed: loClosed };
      return { kind: 'union', ranges: [mirrored, range], points: [] };
    }
    return { kind: 'union', ranges: [range], points: [] };
  }
  return undefined;
}

function relationsMatch(gold: Relation, pred: Relation, context: Context): boolean {
  if (gold.sides.length === 2 && pred.sides.length === 2) {
    // Two named values (`(p, q) = (3, 2)`, `(x, y) = (3, 2)`) compare by value, whatever the names.
    if (gold.value && pred.value && answersEqual(gold.value, pred.value, context)) return true;
    return relationsEqual({ sides: gold.sides, op: gold.ops[0] }, { sides: pred.sides, op: pred.ops[0] }, context.options, context.budget);
  }
  if (gold.sides.length !== pred.sides.length) return false;
  const sameDirection = gold.ops.every((op, i) => op === pred.ops[i]);
  const mirrored = gold.ops.every((op, i) => MIRROR[op] === pred.ops[pred.ops.length - 1 - i]);
  const predSides = sameDirection ? pred.sides : mirrored ? [...pred.sides].reverse() : undefined;
  if (!predSides) return false;
  return gold.sides.every((side, i) => comparableString(side) === comparableString(predSides[i]));
}

/** Gold-first equality of two parsed answers. */
export function answersEqual(gold: Answer, pred: Answer, context: Context): boolean {
  context.budget.check();
  const parseText = context.parse;
  if (gold.kind === 'raw' || pred.kind === 'raw') {
    const text = (answer: Answer) => (answer.kind === 'raw' || answer.kind === 'expr' || answer.kind === 'text' ? answer.text : undefined);
    const [a, b] = [text(gold), text(pred)];
    return a !== undefined && b !== undefined && comparableString(a) === comparableString(b);
  }
  if (gold.kind === 'relation' && pred.kind === 'relation') {
    if (relationsMatch(gold, pred, context)) return true;
  }
  if (gold.kind === 'relation' && gold.value && pred.kind !== 'relation') return answersEqual(gold.value, pred, context);
  if (pred.kind === 'relation' && pred.value && gold.kind !== 'relation') return answersEqual(gold, pred.value, context);
  if (context.options.setRelations) {
    if (gold.kind === 'relation' && pred.kind !== 'relation') {
      const asUnion = relationAsUnion(gold, parseText);
      return asUnion !== undefined && answersEqual(asUnion, pred, context);
    }
    if (pred.kind === 'relation' && gold.kind !== 'relation') {
      const asUnion = relationAsUnion(pred, parseText);
      return asUnion !== undefined && answersEqual(gold, asUnion, context);
    }
    if (gold.kind === 'relation' && pred.kind === 'relation') {
      const [a, b] = [relationAsUnion(gold, parseText), relationAsUnion(pred, parseText)];
      return a !== undefined && b !== undefined && answersEqual(a, b, context);
    }
  }
  // As sets, `15\frac{39}{40}, \frac{639}{40}` (one value written twice) is that value.
  if (pred.kind === 'list' && pred.bracket === 'none' && gold.kind !== 'list' && context.options.lists === 'unordered') {
    return pred.items.length > 0 && pred.items.every((item) => answersEqual(gold, item, context));
  }
  if (gold.kind === 'list' && gold.bracket === 'none' && pred.kind !== 'list' && context.options.lists === 'unordered') {
    return gold.items.length > 0 && gold.items.every((item) => answersEqual(item, pred, context));
  }
  // A one-item list is its item; `(a, b)` may be an open interval.
  if (gold.kind === 'list' && gold.items.length === 1 && pred.kind !== 'list') return answersEqual(gold.items[0], pred, context);
  if (pred.kind === 'list' && pred.items.length === 1 && gold.kind !== 'list') return answersEqual(gold, pred.items[0], context);
  const asOpenRange = (list: List): Union | undefined =>
    list.bracket === 'paren' && list.items.length === 2 ? { kind: 'union', ranges: [{ lo: list.items[0], hi: list.items[1], loClosed: false, hiClosed: false }], points: [] } : undefined;
  if (gold.kind === 'list' && pred.kind === 'union') {
    const range = asOpenRange(gold);
    return range !== undefined && unionsEqual(range, pred, context);
  }
  if (gold.kind === 'union' && pred.kind === 'list') {
    const range = asOpenRange(pred);
    return range !== undefined && unionsEqual(gold, range, context);
  }
  if (gold.kind !== pred.kind) return false;
  switch (gold.kind) {
    case 'text':
      return gold.text === (pred as typeof gold).text;
    case 'expr':
      return exprEqual(gold, pred as Expr, context);
    case 'list':
      return listsEqual(gold, pred as List, context);
    case 'union':
      return unionsEqual(gold, pred as Union, context);
    case 'ratio': {
      const other = (pred as typeof gold).parts;
      return gold.parts.length === other.length && gold.parts.every((part, i) => answersEqual(part, other[i], context));
    }
    case 'relation':
      return false;
  }
}

export interface Comparison {
  equal: boolean;
  via: string;
}

export function compareParsed(gold: ParsedAnswer, pred: ParsedAnswer, context: Context): Comparison {
  if (comparableString(gold.normalized) === comparableString(pred.normalized)) return { equal: true, via: 'equal after normalization' };
  const golds = [gold.answer, ...(gold.alternative ? [gold.alternative] : [])];
  const preds = [pred.answer, ...(pred.alternative ? [pred.alternative] : [])];
  for (const g of golds) {
    for (const p of preds) {
      if (answersEqual(g, p, context)) return { equal: true, via: `equivalent (${g.kind})` };
    }
  }
  return { equal: false, via: `not equivalent (${gold.answer.kind} vs ${pred.answer.kind})` };
}
