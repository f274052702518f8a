/**
 * Equality of two constants. Exact values are compared exactly (`\frac12` is not `0.5000001`). A
 * decimal matches an exact value whose expansion does not end when it is that value correctly
 * rounded to the decimals shown and shows at least three significant digits (`\frac13` ~ `0.333`,
 * not `0.33`, not `0.3334`); a value whose expansion ends must be written exactly. Explicit
 * `precision` or `relativeTolerance` options replace that rule with rounding or a tolerance.
 */
import { decided, type Decision } from './decision.ts';
import { exactValue, multiply, rational, rationalsEqual, subtract, terminates, toNumber, type Rational } from './exact.ts';
import { safeEvaluate, type CompiledExpression, type NumericValue } from './expr.ts';

export interface NumberPolicy {
  /** Decimal places both sides are rounded to; undefined for the decimal rule above. */
  precision?: number;
  relativeTolerance: number;
}

/** One side: an expression without variables and the factor its percent sign stands for. */
export interface Constant {
  expr: CompiledExpression;
  /** Whether `p%` is read as the fraction p/100. */
  percent: boolean;
}

const MIN_SIGNIFICANT = 3;
/** Floating-point noise between two exact forms of one value (`\sqrt8` and `2\sqrt2`). */
const FLOAT_NOISE = 1e-12;
const HUNDREDTH = rational(1n, 100n);

interface Shown {
  decimals: number;
  significant: number;
}

/**
 * The decimals a literal shows: `-0.3330` 4 places and 3 significant digits; `2.31 \times 10^{-3}`
 * and `2.31e-3` 5 places and 3 digits.
 */
function decimalShown(constant: Constant): Shown | undefined {
  const source = constant.expr.source.replace(/\s+/g, '');
  const match = /^[-+]?(\d*)\.(\d+)(?:\*\(10\)\^\(+([-+]?\d+)\)+|[eE]([-+]?\d+))?$/.exec(source);
  if (!match) return undefined;
  const significant = `${match[1]}${match[2]}`.replace(/^0+/, '').length;
  const exponent = Number(match[3] ?? match[4] ?? 0);
  return { decimals: match[2].length - exponent + (constant.percent ? 2 : 0), significant };
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** The options' own rule: a relative tolerance, or rounding both sides to `precision` places. */
function withinPolicy(a: number, b: number, policy: NumberPolicy): boolean {
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  const scale = Math.max(Math.abs(a), Math.abs(b));
  if (Math.abs(a - b) <= policy.relativeTolerance * scale) return true;
  return policy.precision !== undefined && scale >= 10 ** -policy.precision && round(a, policy.precision) === round(b, policy.precision);
}

/** `value` × 10^places rounded half up, exactly. */
function roundedScaled(value: Rational, places: number): bigint {
  const twice = 2n * value.n * 10n ** BigInt(places) + value.d;
  const denominator = 2n * value.d;
  const quotient = twice / denominator;
  return twice % denominator !== 0n && twice < 0n ? quotient - 1n : quotient;
}

/** The options' own rule on exact values; distinct integers stay distinct unless the tolerance is loose. */
function exactWithinPolicy(a: Rational, b: Rational, policy: NumberPolicy): boolean {
  const { precision, relativeTolerance } = policy;
  if (precision !== undefined && roundedScaled(a, precision) === roundedScaled(b, precision)) {
    const size = (value: Rational) => (value.n < 0n ? -value.n : value.n) * 10n ** BigInt(precision) >= value.d;
    if (size(a) || size(b)) return true;
  }
  const integers = a.d === 1n && b.d === 1n;
  return relativeTolerance > (integers ? 1e-6 : 0) && withinPolicy(toNumber(a), toNumber(b), { relativeTolerance });
}

/** Whether a float is a decimal that ends within 12 places (`\sin\frac{\pi}{6}` is 0.5). */
function terminatesNumerically(value: number): boolean {
  for (let places = 0; places <= 12; places++) {
    const scaled = value * 10 ** places;
    if (Math.abs(scaled) > 1e15) return true;
    if (Math.abs(scaled - Math.round(scaled)) <= 1e-9) return true;
  }
  return false;
}

function floatsEqual(a: number, b: number): boolean {
  if (!Number.isFinite(a) || !Number.isFinite(b)) return a === b;
  return a === b || Math.abs(a - b) <= FLOAT_NOISE * Math.max(1, Math.abs(a), Math.abs(b));
}

function valuesEqual(a: NumericValue, b: NumericValue, policy: NumberPolicy): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, index) => valuesEqual(item, b[index], policy));
  }
  const close = (x: number, y: number) => floatsEqual(x, y) || withinPolicy(x, y, policy);
  return close(a.re, b.re) && close(a.im, b.im);
}

function scaled(value: NumericValue, factor: number): NumericValue {
  return Array.isArray(value) ? value.map((item) => scaled(item, factor)) : { re: value.re * factor, im: value.im * factor };
}

function isFiniteValue(value: NumericValue): boolean {
  return Array.isArray(value) ? value.every(isFiniteValue) : Number.isFinite(value.re) && Number.isFinite(value.im);
}

/** The side written as a decimal and the other side, when exactly one is a decimal. */
function decimalAndOther(gold: Constant, pred: Constant): { shown: Shown; decimalIsGold: boolean } | undefined {
  const [goldShown, predShown] = [decimalShown(gold), decimalShown(pred)];
  if (goldShown && !predShown) return { shown: goldShown, decimalIsGold: true };
  if (predShown && !goldShown) return { shown: predShown, decimalIsGold: false };
  return undefined;
}

function exactDecimalMatch(decimal: Rational, other: Rational, shown: Shown): boolean {
  if (terminates(other) || shown.significant < MIN_SIGNIFICANT) return false;
  // |decimal − other| ≤ ½·10^-decimals, in integers.
  const difference = subtract(decimal, other);
  const magnitude = difference.n < 0n ? -difference.n : difference.n;
  const places = 10n ** BigInt(Math.abs(shown.decimals));
  return shown.decimals >= 0 ? magnitude * 2n * places <= difference.d : magnitude * 2n <= difference.d * places;
}

function floatDecimalMatch(decimal: number, other: number, shown: Shown): boolean {
  if (terminatesNumerically(other) || shown.significant < MIN_SIGNIFICANT) return false;
  return Math.abs(decimal - other) <= 0.5 * 10 ** -shown.decimals + 4 * Number.EPSILON * Math.max(1, Math.abs(other));
}

/** Exact and numeric values by compiled expression: a gold is compared with k samples, a set's items n² times. */
const exactValues = new WeakMap<CompiledExpression, Rational | null>();
const numericValues = new WeakMap<CompiledExpression, NumericValue | null>();

function exactly(constant: Constant): Rational | undefined {
  let value = exactValues.get(constant.expr);
  if (value === undefined) {
    value = exactValue(constant.expr.source) ?? null;
    exactValues.set(constant.expr, value);
  }
  return value && constant.percent ? multiply(value, HUNDREDTH) : (value ?? undefined);
}

function numerically(expr: CompiledExpression): NumericValue | undefined {
  let value = numericValues.get(expr);
  if (value === undefined) {
    value = safeEvaluate(expr, {}) ?? null;
    numericValues.set(expr, value);
  }
  return value ?? undefined;
}

/** Gold-first equality of two constants, `unknown` when either cannot be evaluated. */
export function constantsEqual(gold: Constant, pred: Constant, policy: NumberPolicy): Decision {
  const decimal = policy.precision === undefined ? decimalAndOther(gold, pred) : undefined;
  const [exactGold, exactPred] = [exactly(gold), exactly(pred)];
  if (exactGold && exactPred) {
    if (rationalsEqual(exactGold, exactPred)) return 'equal';
    if (decimal) {
      const [d, o] = decimal.decimalIsGold ? [exactGold, exactPred] : [exactPred, exactGold];
      if (exactDecimalMatch(d, o, decimal.shown)) return 'equal';
    }
    return decided(exactWithinPolicy(exactGold, exactPred, policy));
  }
  const [left, right] = [numerically(gold.expr), numerically(pred.expr)];
  if (!left || !right) return 'unknown';
  const [a, b] = [scaled(left, gold.percent ? 0.01 : 1), scaled(right, pred.percent ? 0.01 : 1)];
  if (!isFiniteValue(a) || !isFiniteValue(b)) {
    // 10^{400} overflows to Infinity; only a written ∞ may equal ∞.
    const written = gold.expr.source.includes('Infinity') && pred.expr.source.includes('Infinity');
    return decided(written && valuesEqual(a, b, policy));
  }
  if (valuesEqual(a, b, policy)) return 'equal';
  if (decimal && !Array.isArray(a) && !Array.isArray(b) && a.im === 0 && b.im === 0) {
    const [d, o] = decimal.decimalIsGold ? [a.re, b.re] : [b.re, a.re];
    if (floatDecimalMatch(d, o, decimal.shown)) return 'equal';
  }
  return 'different';
}
