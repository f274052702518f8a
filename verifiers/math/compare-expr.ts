/**
 * Equality of expressions: constants by exact value or the decimal rule (numbers.ts), expressions
 * with variables by agreement at random points. A percent sign is read as p/100, or dropped (`28%`
 * and `28`) when the percent is at least 1: `\frac12\%` is never ½.
 */
import type { Answer } from './answer.ts';
import { unknown, type Context } from './compare-context.ts';
import { someEqual, type Decision } from './decision.ts';
import { safeEvaluate, samplePoints, type NumericValue } from './expr.ts';
import { constantsEqual, type Constant } from './numbers.ts';

type Expr = Extract<Answer, { kind: 'expr' }>;

/** Agreement at a random point, where both sides are exact up to floating-point error. */
const POINT_TOLERANCE = 1e-8;
const TINY = 1e-12;

function pointsAgree(a: NumericValue, b: NumericValue): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, index) => pointsAgree(item, b[index]));
  }
  const close = (x: number, y: number) => x === y || Math.abs(x - y) <= Math.max(TINY, POINT_TOLERANCE * Math.max(Math.abs(x), Math.abs(y)));
  return close(a.re, b.re) && close(a.im, b.im);
}

export function isReal(value: NumericValue): boolean {
  return Array.isArray(value) ? value.every(isReal) : Math.abs(value.im) <= 1e-12 * Math.max(1, Math.abs(value.re));
}

function isFiniteValue(value: NumericValue): boolean {
  return Array.isArray(value) ? value.every(isFiniteValue) : Number.isFinite(value.re) && Number.isFinite(value.im);
}

function scaled(value: NumericValue, percent: boolean): NumericValue {
  if (!percent) return value;
  return Array.isArray(value) ? value.map((item) => scaled(item, true)) : { re: value.re / 100, im: value.im / 100 };
}

/** Whether two expressions are equal: constants exactly or by the decimal rule, formulas at random points. */
export function expressionsEqual(a: Constant, b: Constant, context: Context): Decision {
  const { options, budget } = context;
  const variables = [...new Set([...a.expr.variables, ...b.expr.variables])].sort();
  if (variables.length === 0) {
    const decision = constantsEqual(a, b, options);
    return decision === 'unknown' ? unknown(context, 'a side does not evaluate to a number') : decision;
  }
  let compared = 0;
  for (const point of samplePoints(variables, options.samplePoints)) {
    budget.check();
    const left = safeEvaluate(a.expr, point);
    const right = safeEvaluate(b.expr, point);
    if (!left || !right || !isFiniteValue(left) || !isFiniteValue(right)) continue;
    // x^(2/3) is complex at negative x where cbrt(x)^2 is real: such points say nothing.
    if (isReal(left) !== isReal(right)) continue;
    if (!pointsAgree(scaled(left, a.percent), scaled(right, b.percent))) return 'different';
    compared++;
  }
  return compared >= 2 ? 'equal' : unknown(context, 'too few points where both sides evaluate');
}

function magnitude(expr: Expr): number | undefined {
  if (expr.expr.variables.length > 0) return undefined;
  const value = safeEvaluate(expr.expr, {});
  return value && !Array.isArray(value) ? Math.hypot(value.re, value.im) : undefined;
}

/** The readings of the percent signs: [gold read as p/100, pred read as p/100]. */
function percentReadings(gold: Expr, pred: Expr, policy: Context['options']['percent']): [boolean, boolean][] {
  if (policy === 'ignore' || gold.percent === pred.percent) return [[false, false]];
  if (policy === 'fraction') return [[gold.percent, pred.percent]];
  // `28%` may stand for the gold `28` of a "what percent" question; `\frac12\%` is not `\frac12`.
  const size = magnitude(gold.percent ? gold : pred);
  const mayDrop = size === undefined || size >= 1;
  return mayDrop ? [[gold.percent, pred.percent], [false, false]] : [[gold.percent, pred.percent]];
}

export function exprEqual(gold: Expr, pred: Expr, context: Context): Decision {
  if (gold.unit !== '' && pred.unit !== '' && gold.unit !== pred.unit) {
    return unknown(context, `units '${gold.unit}' and '${pred.unit}' are not converted`);
  }
  return someEqual(percentReadings(gold, pred, context.options.percent), ([goldPercent, predPercent]) =>
    expressionsEqual({ expr: gold.expr, percent: goldPercent }, { expr: pred.expr, percent: predPercent }, context),
  );
}
