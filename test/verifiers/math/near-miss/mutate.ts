/**
 * Near-miss mutations of a gold answer, the small edits a wrong answer differs by: a sign, a
 * coefficient or constant, two variables swapped, the left side of a relation, an inequality's
 * direction or strictness, an interval's bracket, a tuple's order, an exponent, one digit.
 */
import { wrappedWhole } from '../../../../verifiers/math/structure.ts';

export type MutationKind =
  | 'sign'
  | 'constant'
  | 'coefficient'
  | 'variables'
  | 'left-side'
  | 'inequality'
  | 'interval-end'
  | 'tuple-order'
  | 'exponent'
  | 'digit';

export interface Mutation {
  kind: MutationKind;
  text: string;
}

const MAX_PER_KIND = 6;

/** Spans that are names, not mathematics: commands, `\text{…}`-like arguments, environment names. */
function maskedSpans(text: string): boolean[] {
  const masked = Array.from({ length: text.length }, () => false);
  const mark = (start: number, end: number) => {
    for (let i = start; i < end; i++) masked[i] = true;
  };
  for (const match of text.matchAll(/\\(?:text\w*|mathrm|mbox|operatorname|begin|end)\s*\{[^{}]*\}|\\[a-zA-Z]+|\\./g)) {
    mark(match.index, match.index + match[0].length);
  }
  return masked;
}

function replaceAt(text: string, start: number, end: number, replacement: string): string {
  return `${text.slice(0, start)}${replacement}${text.slice(end)}`;
}

function signs(text: string, masked: boolean[]): string[] {
  const out: string[] = [];
  for (const match of text.matchAll(/[+-]/g)) {
    if (!masked[match.index]) out.push(replaceAt(text, match.index, match.index + 1, match[0] === '+' ? '-' : '+'));
  }
  const trimmed = text.trim();
  if (!/[,=<>]|\\(?:le|ge|ne|cup|in)\b/.test(trimmed)) out.push(trimmed.startsWith('-') ? trimmed.slice(1) : `-${trimmed}`);
  return out;
}

function integers(text: string, masked: boolean[]): RegExpMatchArray[] {
  return [...text.matchAll(/(?<![\d.])\d+(?![\d.])/g)].filter((match) => !masked[match.index!]);
}

function constants(text: string, masked: boolean[]): string[] {
  return integers(text, masked).flatMap((match) => {
    const value = BigInt(match[0]);
    const start = match.index!;
    const changed = [value + 1n, ...(value >= 2n ? [value - 1n] : []), value * 2n + 1n];
    return changed.map((next) => replaceAt(text, start, start + match[0].length, String(next)));
  });
}

/** Single letters used as variables, with their positions. */
function variables(text: string, masked: boolean[]): Map<string, number[]> {
  const found = new Map<string, number[]>();
  for (const match of text.matchAll(/(?<![A-Za-z])[a-zA-Z](?![A-Za-z])/g)) {
    if (masked[match.index] || 'ei'.includes(match[0])) continue;
    found.set(match[0], [...(found.get(match[0]) ?? []), match.index]);
  }
  return found;
}

function coefficients(text: string, masked: boolean[]): string[] {
  const out: string[] = [];
  for (const positions of variables(text, masked).values()) {
    const at = positions[0];
    if (!/\d/.test(text[at - 1] ?? '')) out.push(replaceAt(text, at, at, '2'));
  }
  return out;
}

function swappedVariables(text: string, masked: boolean[]): string[] {
  const names = [...variables(text, masked).entries()];
  const out: string[] = [];
  for (let i = 0; i < names.length; i++) {
    for (let j = i + 1; j < names.length; j++) {
      const [[a, atA], [b, atB]] = [names[i], names[j]];
      const chars = [...text];
      for (const at of atA) chars[at] = b;
      for (const at of atB) chars[at] = a;
      out.push(chars.join(''));
    }
  }
  const single = names.length === 1 ? names[0] : undefined;
  if (single) {
    const other = single[0] === 'x' ? 'y' : 'x';
    const chars = [...text];
    for (const at of single[1]) chars[at] = other;
    out.push(chars.join(''));
  }
  return out;
}

const RELATION = /\\leq?(?![a-zA-Z])|\\geq?(?![a-zA-Z])|\\neq?(?![a-zA-Z])|<|>|=/;

function leftSides(text: string, masked: boolean[]): string[] {
  const match = RELATION.exec(text);
  if (!match) return [];
  const left = text.slice(0, match.index);
  const rest = text.slice(match.index);
  const leftMasked = masked.slice(0, match.index);
  return [
    ...swappedVariables(left, leftMasked).map((changed) => changed + rest),
    ...signs(left, leftMasked).filter((changed) => changed.trim() !== left.trim()).map((changed) => changed + rest),
    `${left.trimEnd()} + 1 ${rest}`,
    `2(${left.trim()}) ${rest}`,
  ];
}

const FLIPS: Record<string, string[]> = {
  '<': ['>', '\\le'], '>': ['<', '\\ge'], '\\le': ['<', '\\ge'], '\\leq': ['<', '\\geq'], '\\ge': ['>', '\\le'], '\\geq': ['>', '\\leq'],
  '=': ['<', '\\ne'], '\\ne': ['='], '\\neq': ['='],
};

function inequalities(text: string): string[] {
  const out: string[] = [];
  for (const match of text.matchAll(new RegExp(RELATION.source, 'g'))) {
    for (const flipped of FLIPS[match[0]] ?? []) out.push(replaceAt(text, match.index, match.index + match[0].length, flipped));
  }
  return out;
}

function intervalEnds(text: string): string[] {
  const out: string[] = [];
  const pieces = [...text.matchAll(/(\\left)?([([])([^()[\]]*,[^()[\]]*?)(\\right)?([)\]])/g)];
  for (const piece of pieces) {
    const [whole, left = '', open, inner, right = '', close] = piece;
    const at = piece.index;
    out.push(replaceAt(text, at, at + whole.length, `${left}${open === '(' ? '[' : '('}${inner}${right}${close}`));
    out.push(replaceAt(text, at, at + whole.length, `${left}${open}${inner}${right}${close === ')' ? ']' : ')'}`));
  }
  return out;
}

/** Top-level comma split, brackets respected. */
function topLevelItems(inner: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let last = 0;
  for (let i = 0; i < inner.length; i++) {
    const ch = inner[i];
    if ('([{'.includes(ch)) depth++;
    else if (')]}'.includes(ch)) depth--;
    else if (ch === ',' && depth === 0) {
      items.push(inner.slice(last, i));
      last = i + 1;
    }
  }
  items.push(inner.slice(last));
  return items;
}

function tupleOrders(text: string): string[] {
  const wrapped = wrappedWhole(text.trim().replace(/^\\left\(/, '(').replace(/\\right\)$/, ')'));
  if (wrapped?.open !== '(' || wrapped.close !== ')') return [];
  const items = topLevelItems(wrapped.inner);
  if (items.length < 2) return [];
  const swapped = [items[1], items[0], ...items.slice(2)];
  const wrap = (parts: string[]) => `(${parts.map((part) => part.trim()).join(', ')})`;
  return [wrap(swapped), wrap([...items].reverse())];
}

function exponents(text: string): string[] {
  const out: string[] = [];
  for (const match of text.matchAll(/\^\s*(?:\{\s*(-?\d+)\s*\}|(\d))/g)) {
    const value = Number(match[1] ?? match[2]);
    for (const next of [value + 1, value - 1]) {
      out.push(replaceAt(text, match.index, match.index + match[0].length, `^{${next}}`));
    }
  }
  return out;
}

function digits(text: string, masked: boolean[]): string[] {
  const out: string[] = [];
  for (const match of text.matchAll(/\d/g)) {
    if (masked[match.index]) continue;
    out.push(replaceAt(text, match.index, match.index + 1, String((Number(match[0]) + 1) % 10)));
  }
  return out;
}

/** Every near miss of a gold answer, each text at most once and never the gold itself. */
export function mutations(gold: string): Mutation[] {
  const masked = maskedSpans(gold);
  const kinds: [MutationKind, string[]][] = [
    ['sign', signs(gold, masked)],
    ['constant', constants(gold, masked)],
    ['coefficient', coefficients(gold, masked)],
    ['variables', swappedVariables(gold, masked)],
    ['left-side', leftSides(gold, masked)],
    ['inequality', inequalities(gold)],
    ['interval-end', intervalEnds(gold)],
    ['tuple-order', tupleOrders(gold)],
    ['exponent', exponents(gold)],
    ['digit', digits(gold, masked)],
  ];
  const seen = new Set([gold.replace(/\s+/g, '')]);
  const out: Mutation[] = [];
  for (const [kind, texts] of kinds) {
    for (const text of texts.slice(0, MAX_PER_KIND)) {
      const key = text.replace(/\s+/g, '');
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ kind, text });
    }
  }
  return out;
}
