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

/** A left-hand side that names the answer rather than computes it: `x`, `f(x)`, `|AB|`, `(p, q)`, `a_{37}`. */
export function isLabel(text: string): boolean {
  const withoutSubscripts = text.replace(/_\{[^{}]*\}|_\w/g, '');
  return (
    text.length > 0 &&
    text.length <= 40 &&
    /\p{L}/u.test(withoutSubscripts) &&
    !/\d|±|∓/.test(withoutSubscripts)
  );
}
