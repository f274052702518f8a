/**
 * The judge of the near-miss suite: a mutation may be accepted only when this proves it equal to
 * the gold by evaluation at random points (its own points, not the verifier's), or it is the
 * same text, or a permutation of a set. It is sound rather than complete: unproven means rejected.
 */
import { seededRandom } from '../../../../src/util/seeded-random.ts';
import { exactValue, rationalsEqual } from '../../../../verifiers/math/exact.ts';
import { compileExpression, safeEvaluate, type CompiledExpression, type NumericValue } from '../../../../verifiers/math/expr.ts';
import { comparableString, normalizeAnswer } from '../../../../verifiers/math/normalize.ts';
import { splitTopLevel, wrappedWhole } from '../../../../verifiers/math/structure.ts';

const POINTS = 24;
const MIN_AGREEING = 8;

/** An infinite end's bracket says nothing: `[-\infty` is `(-\infty`. */
function canonical(text: string): string {
  return comparableString(text).replace(/\[(-\\infty)/g, '($1').replace(/(\\infty)\]/g, '$1)');
}

function compile(text: string): CompiledExpression | undefined {
  try {
    return compileExpression(text);
  } catch {
    return undefined;
  }
}

function points(variables: string[]): Record<string, number>[] {
  const random = seededRandom(0x0dd5eed);
  return Array.from({ length: POINTS }, () => Object.fromEntries(variables.map((name) => [name, (random() < 0.5 ? -1 : 1) * (0.2 + 3 * random())])));
}

function real(value: NumericValue | undefined): number | undefined {
  if (!value || Array.isArray(value) || Math.abs(value.im) > 1e-12 || !Number.isFinite(value.re)) return undefined;
  return value.re;
}

function close(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

function scalarsEqual(a: string, b: string): boolean {
  const [left, right] = [compile(a), compile(b)];
  if (!left || !right) return false;
  const variables = [...new Set([...left.variables, ...right.variables])];
  if (variables.length === 0) {
    const [x, y] = [exactValue(left.source), exactValue(right.source)];
    if (x && y) return rationalsEqual(x, y);
    const [u, v] = [real(safeEvaluate(left, {})), real(safeEvaluate(right, {}))];
    return u !== undefined && v !== undefined && close(u, v);
  }
  let agreeing = 0;
  for (const point of points(variables)) {
    const [u, v] = [real(safeEvaluate(left, point)), real(safeEvaluate(right, point))];
    if (u === undefined || v === undefined) continue;
    if (!close(u, v)) return false;
    agreeing++;
  }
  return agreeing >= MIN_AGREEING;
}

const FLIP: Record<string, string> = { '>': '<', '≥': '≤' };

/** `left op right` with `>`/`≥` turned around, or undefined when it is no single relation. */
function relation(text: string): { f: CompiledExpression; op: string } | undefined {
  const { parts, found } = splitTopLevel(text, '=<>≤≥≠');
  if (found.length !== 1) return undefined;
  const [left, right] = FLIP[found[0]] ? [parts[1], parts[0]] : [parts[0], parts[1]];
  const f = compile(`(${left}) - (${right})`);
  return f && { f, op: FLIP[found[0]] ?? found[0] };
}

function relationsEqual(a: string, b: string): boolean {
  const [left, right] = [relation(a), relation(b)];
  if (!left || !right || left.op !== right.op) return false;
  const variables = [...new Set([...left.f.variables, ...right.f.variables])];
  let ratio: number | undefined;
  let agreeing = 0;
  for (const point of points(variables)) {
    const [u, v] = [real(safeEvaluate(left.f, point)), real(safeEvaluate(right.f, point))];
    if (u === undefined || v === undefined || Math.abs(v) < 1e-9) continue;
    ratio ??= u / v;
    if (!close(ratio, u / v)) return false;
    agreeing++;
  }
  const positive = left.op === '<' || left.op === '≤';
  return agreeing >= MIN_AGREEING && ratio !== undefined && ratio !== 0 && (!positive || ratio > 0);
}

function itemsEqual(a: string[], b: string[], ordered: boolean): boolean {
  if (a.length !== b.length) return false;
  if (ordered) return a.every((item, i) => provablyEqualNormalized(item, b[i]));
  const unused = [...b];
  return a.every((item) => {
    const at = unused.findIndex((other) => provablyEqualNormalized(item, other));
    if (at === -1) return false;
    unused.splice(at, 1);
    return true;
  });
}

function provablyEqualNormalized(a: string, b: string): boolean {
  if (canonical(a) === canonical(b)) return true;
  const [wa, wb] = [wrappedWhole(a), wrappedWhole(b)];
  if (wa && wb && wa.open === wb.open && wa.close === wb.close) {
    const [ia, ib] = [splitTopLevel(wa.inner, ',').parts, splitTopLevel(wb.inner, ',').parts];
    if (ia.length > 1 || ib.length > 1) return itemsEqual(ia, ib, wa.open !== '\\{');
  }
  const [la, lb] = [splitTopLevel(a, ',').parts, splitTopLevel(b, ',').parts];
  if (la.length > 1 || lb.length > 1) return itemsEqual(la, lb, false);
  if (/[=<>≤≥≠]/.test(a) || /[=<>≤≥≠]/.test(b)) return relationsEqual(a, b);
  return scalarsEqual(a, b);
}

/** Whether `mutated` is provably the same answer as `gold`. */
export function provablyEquivalent(gold: string, mutated: string): boolean {
  return provablyEqualNormalized(normalizeAnswer(gold), normalizeAnswer(mutated));
}
