/**
 * Relations compared as relations: both sides, the symbol and its direction. Two equations are
 * equal when `left − right` of one is a non-zero constant multiple of the other's (moving terms,
 * swapping sides, scaling), checked at random points; inequalities need a positive multiple.
 * A relation that names its value (`x = 5`, `f(3) = 7`) equals that bare value, and another
 * relation only when the name is the same: `x = 5` is not `y = 5`, `x + y = 10` is not `10`.
 */
import type { Answer, Range, RelationOp } from './answer.ts';
import { isReal } from './compare-expr.ts';
import { unknown, type Context } from './compare-context.ts';
import { everyEqual, type Decision } from './decision.ts';
import { compileExpression, safeEvaluate, samplePoints, type CompiledExpression, type NumericValue } from './expr.ts';
import { isName, nameKey, renamedArgument } from './structure.ts';

type Relation = Extract<Answer, { kind: 'relation' }>;
type Union = Extract<Answer, { kind: 'union' }>;

const MIRROR: Record<RelationOp, RelationOp> = { '<': '>', '>': '<', '≤': '≥', '≥': '≤', '=': '=', '≠': '≠' };
const FLIPPED: Partial<Record<RelationOp, RelationOp>> = { '>': '<', '≥': '≤' };

/** Ratios at two points agree up to floating-point error. */
function sameRatio(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-8 * Math.max(Math.abs(a), Math.abs(b));
}

function asReal(value: NumericValue | undefined): number | undefined {
  if (!value || Array.isArray(value) || !isReal(value) || !Number.isFinite(value.re)) return undefined;
  return value.re;
}

/** `left op right` as `f op' 0` with op' one of `<`, `≤`, `=`, `≠`. */
function relationFunction(left: string, right: string, op: RelationOp): { f: CompiledExpression; op: RelationOp } {
  const flipped = FLIPPED[op];
  return flipped ? { f: compileExpression(`(${right}) - (${left})`), op: flipped } : { f: compileExpression(`(${left}) - (${right})`), op };
}

/** Two-sided relations are equal when their `left − right` differ by a constant factor (positive for inequalities). */
function proportional(gold: Relation, pred: Relation, context: Context): Decision {
  let left: ReturnType<typeof relationFunction>;
  let right: ReturnType<typeof relationFunction>;
  try {
    left = relationFunction(gold.sides[0], gold.sides[1], gold.ops[0]);
    right = relationFunction(pred.sides[0], pred.sides[1], pred.ops[0]);
  } catch {
    return unknown(context, 'a side of a relation could not be read');
  }
  if (left.op !== right.op) return 'different';
  const variables = [...new Set([...left.f.variables, ...right.f.variables])].sort();
  if (variables.length === 0) return unknown(context, 'a relation between constants');
  const mustBePositive = left.op === '<' || left.op === '≤';
  let ratio: number | undefined;
  let compared = 0;
  for (const point of samplePoints(variables, context.options.samplePoints + 4)) {
    context.budget.check();
    const f = asReal(safeEvaluate(left.f, point));
    const g = asReal(safeEvaluate(right.f, point));
    if (f === undefined || g === undefined) continue;
    if (Math.abs(f) < 1e-9 && Math.abs(g) < 1e-9) continue;
    if (Math.abs(f) < 1e-9 || Math.abs(g) < 1e-9) return 'different';
    const current = f / g;
    if (ratio === undefined) ratio = current;
    else if (!sameRatio(ratio, current)) return 'different';
    compared++;
  }
  if (compared < 2 || ratio === undefined) return unknown(context, 'too few points where both relations evaluate');
  return !mustBePositive || ratio > 0 ? 'equal' : 'different';
}

/** `x > 5` → (5, ∞); `-2 ≤ x ≤ 7` → [-2, 7]; `x ≠ 3` → (-∞, 3) ∪ (3, ∞), with the variable's name. */
export function relationAsUnion(relation: Relation, parse: (text: string) => Answer): { union: Union; variable: string } | undefined {
  const { sides, ops } = relation;
  const infinity = (sign: string) => parse(`${sign}\\infty`);
  if (sides.length === 2) {
    const [variable, bound, op] = isName(sides[0]) ? [sides[0], sides[1], ops[0]] : isName(sides[1]) ? [sides[1], sides[0], MIRROR[ops[0]]] : [];
    if (variable === undefined || bound === undefined || op === undefined) return undefined;
    const value = parse(bound);
    if (value.kind !== 'expr' || value.expr.variables.length > 0) return undefined;
    const below = (closed: boolean): Range => ({ lo: infinity('-'), hi: value, loClosed: false, hiClosed: closed });
    const above = (closed: boolean): Range => ({ lo: value, hi: infinity(''), loClosed: closed, hiClosed: false });
    const ranges: Record<RelationOp, Range[]> = { '<': [below(false)], '≤': [below(true)], '>': [above(false)], '≥': [above(true)], '≠': [below(false), above(false)], '=': [] };
    return { union: { kind: 'union', ranges: ranges[op], points: op === '=' ? [value] : [] }, variable: nameKey(variable) };
  }
  if (sides.length === 3 && isName(sides[1])) {
    const ascending = ops.every((op) => op === '<' || op === '≤');
    const descending = ops.every((op) => op === '>' || op === '≥');
    if (!ascending && !descending) return undefined;
    const [lo, hi] = ascending ? [sides[0], sides[2]] : [sides[2], sides[0]];
    const [loOp, hiOp] = ascending ? [ops[0], ops[1]] : [ops[1], ops[0]];
    const loClosed = loOp === '≤' || loOp === '≥';
    const hiClosed = hiOp === '≤' || hiOp === '≥';
    const range: Range = { lo: parse(lo), hi: parse(hi), loClosed, hiClosed };
    const variable = nameKey(sides[1]);
    // a ≤ |x| ≤ b with a ≥ 0 is [-b, -a] ∪ [a, b].
    if (/^\|.*\|$/.test(sides[1]) && !lo.trim().startsWith('-')) {
      const mirrored: Range = { lo: parse(`-(${hi})`), hi: parse(`-(${lo})`), loClosed: hiClosed, hiClosed: loClosed };
      return { union: { kind: 'union', ranges: [mirrored, range], points: [] }, variable: variable.slice(1, -1) };
    }
    return { union: { kind: 'union', ranges: [range], points: [] }, variable };
  }
  return undefined;
}

/** Chains (`a < x ≤ b`) side by side, read in the same or the mirrored direction. */
function chainsEqual(gold: Relation, pred: Relation, context: Context): Decision {
  if (gold.sides.length !== pred.sides.length) return 'different';
  const sameDirection = gold.ops.every((op, i) => op === pred.ops[i]);
  const mirrored = gold.ops.every((op, i) => MIRROR[op] === pred.ops[pred.ops.length - 1 - i]);
  const predSides = sameDirection ? pred.sides : mirrored ? [...pred.sides].reverse() : undefined;
  if (!predSides) return 'different';
  return everyEqual(gold.sides, (side, i) => {
    const other = predSides[i];
    if (isName(side) || isName(other)) return nameKey(side) === nameKey(other) ? 'equal' : 'different';
    return context.compare(context.parse(side), context.parse(other));
  });
}

function valueSide(relation: Relation): string {
  return isName(relation.sides[0]) ? relation.sides[1] : relation.sides[0];
}

/** A variable letter, not a letter inside a command name (`\exp`) or a word. */
function letterPattern(letter: string): RegExp {
  return new RegExp(`(?<![\\\\a-zA-Z])${letter}(?![a-zA-Z])`, 'g');
}

function relationsEqual(gold: Relation, pred: Relation, context: Context): Decision {
  if (gold.value && pred.value) {
    const named = gold.name !== undefined && pred.name !== undefined;
    if (!named || gold.name === pred.name) {
      // A relation between constants (`3! \times 5! = 720`) is its value, like a bare answer.
      const byValue = context.compare(gold.value, pred.value);
      if (byValue !== 'unknown' || !named) return byValue;
      return proportional(gold, pred, context) === 'equal' ? 'equal' : 'unknown';
    }
    // `W(n) = 1` and `W(x) = 1` define one function; the argument is a dummy variable.
    const renamed = renamedArgument(gold.name!, pred.name!);
    if (renamed && !letterPattern(renamed[1]).test(valueSide(pred))) {
      return context.compare(gold.value, context.parse(valueSide(pred).replace(letterPattern(renamed[0]), renamed[1])));
    }
    // Other names: the same line may still be written for another variable (`y = 2x`, `x = y/2`).
    return proportional(gold, pred, context) === 'equal' ? 'equal' : 'different';
  }
  if (context.options.setRelations) {
    // `x ∈ [-2, 7]` (a named set) and `-2 ≤ x ≤ 7` describe one set when they name one variable.
    const [named, other, namedIsGold] = gold.value ? [gold, pred, true] : pred.value ? [pred, gold, false] : [];
    const set = named?.name !== undefined && other ? relationAsUnion(other, context.parse) : undefined;
    if (named?.value && set && set.variable === named.name) return namedIsGold ? context.compare(named.value, set.union) : context.compare(set.union, named.value);
  }
  if (gold.value && gold.name === undefined) return 'different';
  if (pred.value && pred.name === undefined) return 'different';
  const direct = gold.sides.length === 2 && pred.sides.length === 2 ? proportional(gold, pred, context) : chainsEqual(gold, pred, context);
  if (direct === 'equal' || !context.options.setRelations) return direct;
  const [a, b] = [relationAsUnion(gold, context.parse), relationAsUnion(pred, context.parse)];
  if (!a || !b || a.variable !== b.variable) return direct;
  const asSets = context.compare(a.union, b.union);
  return asSets === 'equal' ? 'equal' : direct === 'unknown' ? asSets : direct;
}

/** Equality when at least one side is a relation. */
export function relationEqual(gold: Answer, pred: Answer, context: Context): Decision {
  if (gold.kind === 'relation' && pred.kind === 'relation') return relationsEqual(gold, pred, context);
  const relationIsGold = gold.kind === 'relation';
  const relation = (relationIsGold ? gold : pred) as Relation;
  const other = relationIsGold ? pred : gold;
  const against = (value: Answer) => (relationIsGold ? context.compare(value, other) : context.compare(other, value));
  if (relation.value) return against(relation.value);
  if (context.options.setRelations) {
    const set = relationAsUnion(relation, context.parse);
    if (set && set.union.ranges.length > 0) return against(set.union);
  }
  return 'different';
}
