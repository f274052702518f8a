/** Bracket-aware splitting of normalized answer text. */

const OPENERS = new Set(['(', '[', '{']);
const CLOSERS = new Set([')', ']', '}']);

/** Bracket depth change at `i`, treating `\begin{…}`/`\end{…}` as brackets too. */
function depthStep(text: string, i: number): { delta: number; skip: number } {
  const ch = text[i];
  if (ch === '\\') {
    if (text.startsWith('\\begin', i)) return { delta: 1, skip: 5 };
    if (text.startsWith('\\end', i)) return { delta: -1, skip: 3 };
    if (text[i + 1] === '{') return { delta: 1, skip: 1 };
    if (text[i + 1] === '}') return { delta: -1, skip: 1 };
    return { delta: 0, skip: 1 };
  }
  if (OPENERS.has(ch)) return { delta: 1, skip: 0 };
  if (CLOSERS.has(ch)) return { delta: -1, skip: 0 };
  return { delta: 0, skip: 0 };
}

/** Splits on any of `separators` (single characters) at bracket depth 0; returns parts and the separators met. */
export function splitTopLevel(text: string, separators: string): { parts: string[]; found: string[] } {
  const parts: string[] = [];
  const found: string[] = [];
  let depth = 0;
  let last = 0;
  for (let i = 0; i < text.length; i++) {
    const step = depthStep(text, i);
    depth += step.delta;
    if (step.delta === 0 && step.skip === 0 && depth === 0 && separators.includes(text[i])) {
      parts.push(text.slice(last, i).trim());
      found.push(text[i]);
      last = i + 1;
    }
    i += step.skip;
  }
  parts.push(text.slice(last).trim());
  return { parts, found };
}

export interface Wrapped {
  open: string;
  close: string;
  inner: string;
}

/** `(…)`, `[…)`, `\{…\}`, `{…}` around the whole text, with the bracket that closes the first one at the end. */
export function wrappedWhole(text: string): Wrapped | undefined {
  const escapedBrace = text.startsWith('\\{');
  const openLength = escapedBrace ? 2 : 1;
  const open = escapedBrace ? '\\{' : text[0];
  if (!escapedBrace && !OPENERS.has(open)) return undefined;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const step = depthStep(text, i);
    depth += step.delta;
    const last = i + step.skip;
    if (depth === 0) {
      if (last !== text.length - 1) return undefined;
      return { open, close: text.slice(i), inner: text.slice(openLength, i).trim() };
    }
    i = last;
  }
  return undefined;
}

/** One symbol: `x`, `AB`, `x_1`, `a_{37}`, `\theta`, `f'`. */
const SYMBOL = String.raw`(?:[A-Za-z]+|\\[a-zA-Z]+)(?:_\{[^{}]*\}|_[A-Za-z0-9])?'*`;
const NAME = new RegExp(
  String.raw`^(?:${SYMBOL}(?:\^\{?-1\}?)?(?:\([^()]*\))?|\|${SYMBOL}\||\\overline\{[A-Z]+\}|m?\\angle[A-Z]{1,3}|\(${SYMBOL}(?:,${SYMBOL})+\)` +
    String.raw`|${SYMBOL}(?::${SYMBOL})+|\\frac\{${SYMBOL}\}\{${SYMBOL}\}|${SYMBOL}\/${SYMBOL})$`,
);

/**
 * A left-hand side that names the answer rather than computes it: one symbol (`x`, `a_{37}`,
 * `\theta`, `AB`), a function value (`f(x)`, `f^{-1}(3)`), `|AB|`, `\angle ABC`, a tuple of
 * symbols (`(p, q)`), or a ratio of two quantities (`V_1:V_2`, `\frac{NO}{BO}`). `x + y`, `2x` and
 * `\sqrt{x}` are expressions: their relations are equations.
 */
export function isName(text: string): boolean {
  const compact = text.replace(/\s+/g, '');
  return compact.length > 0 && compact.length <= 40 && NAME.test(compact) && !/^\\(?:pi|infty)$/.test(compact);
}

/**
 * `f(x)` and `f(t)`: an unknown function at a dummy argument, as [from, to] letters; undefined
 * otherwise. A named function's argument is a variable of the problem: `\sin(x)` is not `\sin(y)`.
 */
export function renamedArgument(goldName: string, predName: string): [string, string] | undefined {
  const call = /^([A-Za-z](?:_\{?\w+\}?)?(?:\^\{?-1\}?)?)\(([A-Za-z])\)$/;
  const [gold, pred] = [call.exec(goldName), call.exec(predName)];
  return gold && pred && gold[1] === pred[1] && gold[2] !== pred[2] ? [pred[2], gold[2]] : undefined;
}

/** One spelling of a name, for telling `x` from `y`. */
export function nameKey(text: string): string {
  return text.replace(/\s+/g, '').replace(/\{(\w)\}/g, '$1');
}
