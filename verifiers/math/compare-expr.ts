/**
 * Equality of expressions: numbers by the stated rounding and tolerance, expressions with
 * variables by agreement at random points, equations and inequalities by proportionality of
 * `left − right` (a positive factor for inequalities, any non-zero factor for equations).
 */
import { compileExpression, safeEvaluate, samplePoints, type CompiledExpression, type NumericValue } from './expr.ts';
import type { Budget } from './budget.ts';
import type { MathOptions } from './options.ts';
import type { RelationOp } from './answer.ts';

export interface NumericPolicy {
  precision: number;
  relativeTolerance: number;
}

/** Tolerance at random points, where both sides are exact up to floating-point error. */
const POINT_TOLERANCE: NumericPolicy = { precision: -1, relativeTolerance: 1e-8 };
const TINY = 1e-12;
const LOOSE_TOLERANCE = 1e-6;

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export function realEqual(a: number, b: number, policy: NumericPolicy): boolean {
  if (a === b) return true;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  const difference = Math.abs(a - b);
  const scale = Math.max(Math.abs(a), Math.abs(b));
  // Exact integers carry no rounding noise: 10^12 + 1 is not 10^12, unless a loose tolerance was asked for.
  if (Number.isInteger(a) && Number.isInteger(b) && scale < 2 ** 53 && policy.relativeTolerance <= LOOSE_TOLERANCE) return false;
  if (difference <= TINY || difference <= policy.relativeTolerance * scale) return true;
  // Rounding both to `precision` places: 1/3 matches 0.333333, but tiny numbers are not all "0".
  return policy.precision >= 0 && scale >= 10 ** -policy.precision && round(a, policy.precision) === round(b, policy.precision);
}

export function numericEqual(a: NumericValue, b: NumericValue, policy: NumericPolicy): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, index) => numericEqual(item, b[index], policy));
  }
  return realEqual(a.re, b.re, policy) && realEqual(a.im, b.im, policy);
}

function isReal(value: NumericValue): boolean {
  return Array.isArray(value) ? value.every(isReal) : Math.abs(value.im) <= 1e-12 * Math.max(1, Math.abs(value.re));
}

function isFiniteValue(value: NumericValue): boolean {
  return Array.isArray(value) ? value.every(isFiniteValue) : Number.isFinite(value.re) && Number.isFinite(value.im);
}

function scale(value: NumericValue, factor: number): NumericValue {
  return Array.isArray(value) ? value.map((item) => scale(item, factor)) : { re: value.re * factor, im: value.im * factor };
}

export interface Scaled {
  expr: CompiledExpression;
  factor: number;
}

/** Whether two expressions are equal: exactly-stated numbers with the options' policy, formulas at random points. */
export function expressionsEqual(a: Scaled, b: Scaled, options: MathOptions, budget: Budget): boolean {
  const variables = [...new Set([...a.expr.variables, ...b.expr.variables])].sort();
  if (variables.length === 0) {
    const integers = [a, b].map((side) => /^[-+]?\d+$/.test(side.expr.source.replace(/\s/g, '')) && side.factor === 1);
    // Integer literals compare exactly: floats cannot tell 2^53 + 1 from 2^53.
    if (integers[0] && integers[1]) return BigInt(a.expr.source.replace(/\s|\+/g, '')) === BigInt(b.expr.source.replace(/\s|\+/g, ''));
    const left = safeEvaluate(a.expr, {});
    const right = safeEvaluate(b.expr, {});
    if (!left || !right) return false;
    // 10^{400} overflows to Infinity; only a written ∞ may equal ∞.
    if (!isFiniteValue(left) || !isFiniteValue(right)) {
      if (!a.expr.source.includes('Infinity') || !b.expr.source.includes('Infinity')) return false;
    }
    return numericEqual(scale(left, a.factor), scale(right, b.factor), options);
  }
  let compared = 0;
  for (const point of samplePoints(variables, options.samplePoints)) {
    budget.check();
    const left = safeEvaluate(a.expr, point);
    const right = safeEvaluate(b.expr, point);
    if (!left || !right || !isFiniteValue(left) || !isFiniteValue(right)) continue;
    // x^(2/3) is complex at negative x where cbrt(x)^2 is real: such points say nothing.
    if (isReal(left) !== isReal(right)) continue;
    if (!numericEqual(scale(left, a.factor), scale(right, b.factor), POINT_TOLERANCE)) return false;
    compared++;
  }
  return compared >= 2;
}

function asReal(value: NumericValue | undefined): number | undefined {
  if (!value || Array.isArray(value) || !isReal(value) || !Number.isFinite(value.re)) return undefined;
  return value.re;
}

const FLIPPED: Partial<Record<RelationOp, RelationOp>> = { '>': '<', '≥': '≤' };

/** `left op right` as `f op' 0` with op' one of `<`, `≤`, `=`, `≠`. */
function relationFunction(left: string, right: string, op: RelationOp): { f: CompiledExpression; op: RelationOp } {
  const flipped = FLIPPED[op];
  return flipped ? { f: compileExpression(`(${right}) - (${left})`), op: flipped } : { f: compileExpression(`(${left}) - (${right})`), op };
}

/** Two-sided relations are equal when their `left − right` differ by a constant factor (positive for inequalities). */
export function relationsEqual(
  a: { sides: string[]; op: RelationOp },
  b: { sides: string[]; op: RelationOp },
  options: MathOptions,
  budget: Budget,
): boolean {
  let left: ReturnType<typeof relationFunction>;
  let right: ReturnType<typeof relationFunction>;
  try {
    left = relationFunction(a.sides[0], a.sides[1], a.op);
    right = relationFunction(b.sides[0], b.sides[1], b.op);
  } catch {
    return false;
  }
  if (left.op !== right.op) return false;
  const variables = [...new Set([...left.f.variables, ...right.f.variables])].sort();
  if (variables.length === 0) return false;
  const mustBePositive = left.op === '<' || left.op === '≤';
  let ratio: number | undefined;
  let compared = 0;
  for (const point of samplePoints(variables, options.samplePoints + 4)) {
    budget.check();
    const f = asReal(safeEvaluate(left.f, point));
    const g = asReal(safeEvaluate(right.f, point));
    if (f === undefined || g === undefined) continue;
    if (Math.abs(f) < 1e-9 && Math.abs(g) < 1e-9) continue;
    if (Math.abs(f) < 1e-9 || Math.abs(g) < 1e-9) return false;
    const current = f / g;
    if (ratio === undefined) ratio = current;
    else if (!realEqual(ratio, current, POINT_TOLERANCE)) return false;
    compared++;
  }
  return compared >= 2 && ratio !== undefined && (!mustBePositive || ratio > 0);
}
