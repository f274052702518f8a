/**
 * Compiled expressions and their numeric values. Symbolic equality is decided by agreement at
 * random points (never by open-ended simplification), so the cost is bounded by node count ×
 * points; functions whose cost grows with their arguments are replaced by closed forms.
 */
import { create, all, type MathNode, type EvalFunction } from 'mathjs';
import { latexToMathjs, UnsupportedLatex } from './latex-parse.ts';
import { seededRandom } from '../../src/util/seeded-random.ts';

const math = create(all, { number: 'number', predictable: false });

const MAX_NODES = 600;
const MAX_EXACT_INTEGER = 2 ** 53;

/**
 * Binomial coefficient in bounded time: the product formula for a small integer k (any real n, so
 * `\binom{n+1}{2}` agrees with n(n+1)/2 at every sample point), log-gamma for huge integers.
 */
function safeCombinations(n: unknown, k: unknown): number {
  if (typeof n !== 'number' || typeof k !== 'number' || !Number.isInteger(k)) return Number.NaN;
  if (k < 0 || (Number.isInteger(n) && n >= 0 && k > n)) return 0;
  if (k <= 1_000) {
    let product = 1;
    for (let i = 0; i < k; i++) product = (product * (n - i)) / (i + 1);
    return Number.isInteger(n) && Math.abs(product) < MAX_EXACT_INTEGER ? Math.round(product) : product;
  }
  if (!Number.isInteger(n)) return Number.NaN;
  const value = Math.exp(math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1));
  return value < MAX_EXACT_INTEGER ? Math.round(value) : value;
}

function safeFactorial(n: unknown): number {
  if (typeof n !== 'number') return Number.NaN;
  if (n > 170) return Number.POSITIVE_INFINITY;
  if (Number.isInteger(n) && n >= 0) {
    let product = 1;
    for (let i = 2; i <= n; i++) product *= i;
    return product;
  }
  return math.gamma(n + 1) as number;
}

math.import({ combinations: safeCombinations, factorial: safeFactorial }, { override: true });

export interface CompiledExpression {
  /** The mathjs text, for reasons and canonical forms. */
  source: string;
  variables: string[];
  evaluate(scope: Record<string, number>): unknown;
}

/** Whether a node would make evaluation costly: matrix powers repeat a product as often as asked. */
function isHazard(node: MathNode): boolean {
  if (node.type === 'OperatorNode' && (node as unknown as { op: string }).op === '^') {
    let hasMatrix = false;
    (node as unknown as { args: MathNode[] }).args[0].traverse((inner) => {
      if (inner.type === 'ArrayNode') hasMatrix = true;
    });
    return hasMatrix;
  }
  return false;
}

/**
 * Compiled expressions by TeX text. mathjs parsing dominates a verdict's cost, and a problem's gold
 * (and the answers most samples agree on) recur k times per round.
 */
const cache = new Map<string, CompiledExpression | UnsupportedLatex>();
const CACHE_SIZE = 4_096;

export function clearExpressionCache(): void {
  cache.clear();
}

export function compileExpression(tex: string): CompiledExpression {
  const cached = cache.get(tex);
  if (cached !== undefined) {
    // Re-inserting keeps recently used entries at the end, so eviction drops the oldest.
    cache.delete(tex);
    cache.set(tex, cached);
    if (cached instanceof UnsupportedLatex) throw cached;
    return cached;
  }
  let result: CompiledExpression | UnsupportedLatex;
  try {
    result = compileUncached(tex);
  } catch (error) {
    if (!(error instanceof UnsupportedLatex)) throw error;
    result = error;
  }
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(tex, result);
  if (result instanceof UnsupportedLatex) throw result;
  return result;
}

function compileUncached(tex: string): CompiledExpression {
  const source = latexToMathjs(tex);
  let node: MathNode;
  try {
    node = math.parse(source);
  } catch (error) {
    throw new UnsupportedLatex(`mathjs could not read '${source}': ${(error as Error).message}`);
  }
  let count = 0;
  const variables = new Set<string>();
  node.traverse((inner, _path, parent) => {
    count++;
    if (isHazard(inner)) throw new UnsupportedLatex('matrix power');
    if (inner.type === 'SymbolNode') {
      const name = (inner as unknown as { name: string }).name;
      const isCallee = parent?.type === 'FunctionNode' && (parent as unknown as { fn: MathNode }).fn === inner;
      if (!isCallee && name.startsWith('v_')) variables.add(name);
    }
  });
  if (count > MAX_NODES) throw new UnsupportedLatex(`expression has ${count} nodes (limit ${MAX_NODES})`);
  const compiled: EvalFunction = node.compile();
  return {
    source,
    variables: [...variables].sort(),
    evaluate: (scope) => compiled.evaluate({ ...scope }),
  };
}

/** A value as plain numbers: a real or complex scalar, or a matrix of them. */
export type NumericValue = { re: number; im: number } | NumericValue[];

export function toNumeric(value: unknown): NumericValue | undefined {
  if (typeof value === 'number') return { re: value, im: 0 };
  if (typeof value === 'boolean') return undefined;
  if (math.isComplex(value)) return { re: value.re, im: value.im };
  if (math.isMatrix(value)) return toNumeric(value.toArray());
  if (Array.isArray(value)) {
    const items = value.map(toNumeric);
    return items.every((item) => item !== undefined) ? (items as NumericValue[]) : undefined;
  }
  return undefined;
}

/** Sample points for the given variables: half positive, half negative, away from 0 and ±1. */
export function samplePoints(variables: string[], count: number): Record<string, number>[] {
  const random = seededRandom(0x5eed + variables.length);
  const points: Record<string, number>[] = [];
  for (let p = 0; p < count; p++) {
    const point: Record<string, number> = {};
    for (const name of variables) {
      const magnitude = 0.3 + 2.4 * random() + (random() < 0.5 ? 0 : 1.1);
      point[name] = p % 2 === 0 ? magnitude : -magnitude;
    }
    points.push(point);
  }
  return points;
}

export function safeEvaluate(expression: CompiledExpression, scope: Record<string, number>): NumericValue | undefined {
  try {
    return toNumeric(expression.evaluate(scope));
  } catch {
    return undefined;
  }
}
