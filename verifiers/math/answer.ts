/**
 * Structure of an answer: a scalar (or matrix) expression, words, a list/tuple/set, a union of
 * intervals, a relation (equation or inequality), or a ratio. Parsing never throws: what cannot
 * be read becomes `raw` and is compared as a string only.
 */
import { compileExpression, type CompiledExpression } from './expr.ts';
import { normalizeAnswer, stripUnits } from './normalize.ts';
import { isLabel, splitTopLevel, wrappedWhole, type Wrapped } from './structure.ts';

export type Bracket = 'none' | 'paren' | 'square' | 'brace';
export type RelationOp = '=' | '<' | '≤' | '>' | '≥' | '≠';

export interface Range {
  lo: Answer;
  hi: Answer;
  loClosed: boolean;
  hiClosed: boolean;
}

export type Answer =
  | { kind: 'expr'; text: string; expr: CompiledExpression; percent: boolean; degrees: boolean }
  | { kind: 'text'; text: string }
  | { kind: 'list'; items: Answer[]; bracket: Bracket }
  | { kind: 'union'; ranges: Range[]; points: Answer[] }
  | { kind: 'relation'; sides: string[]; ops: RelationOp[]; value?: Answer }
  | { kind: 'ratio'; parts: Answer[] }
  | { kind: 'raw'; text: string };

/** A parsed answer with the normalized text it came from and, for `1,5`, a decimal-comma reading. */
export interface ParsedAnswer {
  normalized: string;
  answer: Answer;
  alternative?: Answer;
}

const MAX_DEPTH = 12;
const MAX_ITEMS = 200;
const RELATIONS = '=<>≤≥≠∈';
const WORD_NAMES = /^(?:sin|cos|tan|sec|csc|cot|log|ln|exp|sqrt|pi|abs|arcsin|arccos|arctan)$/i;

function raw(text: string): Answer {
  return { kind: 'raw', text };
}

function isWords(text: string): boolean {
  if (!/^[\p{L}\s'.-]+$/u.test(text)) return false;
  const runs = text.match(/\p{L}+/gu) ?? [];
  return runs.some((run) => (run.length >= 3 && !WORD_NAMES.test(run)) || /[^\x00-\x7F]/.test(run));
}

function parseScalar(text: string): Answer {
  let body = stripUnits(text).trim();
  const percent = body.endsWith('%');
  if (percent) body = body.slice(0, -1).trim();
  const degrees = body.includes('°');
  if (degrees) body = body.replace(/°/g, ' ').trim();
  if (body === '') return raw(text);
  if (isWords(body)) return { kind: 'text', text: body.toLowerCase().replace(/\s+/g, ' ').replace(/[.'-]/g, '') };
  try {
    return { kind: 'expr', text: body, expr: compileExpression(body), percent, degrees };
  } catch {
    return raw(text);
  }
}

function expandPlusMinus(text: string, depth: number): Answer {
  const index = text.search(/[±∓]/);
  const plus = text.slice(0, index) + '+' + text.slice(index + 1);
  const minus = text.slice(0, index) + '-' + text.slice(index + 1);
  // `\pm 2` at the start is `+2` or `-2`, not `0 + 2`.
  const items = [parse(plus.replace(/^\s*\+/, ''), depth + 1), parse(minus, depth + 1)];
  return { kind: 'list', items: items.flatMap((item) => (item.kind === 'list' && item.bracket === 'none' ? item.items : [item])), bracket: 'none' };
}

/** `x = 3` inside a list is just `3`; a list whose labels repeat (`p=5, q=2, p=7, q=2`) is a list of tuples. */
function parseItems(texts: string[], depth: number): Answer[] {
  const labelled = texts.map((text) => {
    const { parts, found } = splitTopLevel(text, '=');
    return found.length === 1 && isLabel(parts[0]) ? { label: parts[0].replace(/\s+/g, ''), value: parts[1] } : { value: text };
  });
  const labels = labelled.map((item) => item.label);
  const repeatAt = labels.indexOf(labels[0], 1);
  if (labels[0] !== undefined && labels.every((label) => label !== undefined) && repeatAt > 1 && labels.length % repeatAt === 0) {
    const tuples: Answer[] = [];
    for (let i = 0; i < labelled.length; i += repeatAt) {
      tuples.push({ kind: 'list', items: labelled.slice(i, i + repeatAt).map((item) => parse(item.value, depth + 1)), bracket: 'paren' });
    }
    return tuples;
  }
  return labelled
    .map((item) => parse(item.value, depth + 1))
    .flatMap((item) => (item.kind === 'list' && item.bracket === 'none' ? item.items : [item]));
}

function parseRangeOrSet(text: string, depth: number): { range?: Range; points?: Answer[] } | undefined {
  if (text === 'ℝ') return { range: infiniteRange() };
  if (text === '∅') return { points: [] };
  const wrapped = wrappedWhole(text);
  if (!wrapped) return undefined;
  const { parts } = splitTopLevel(wrapped.inner, ',');
  if (wrapped.open === '\\{' || wrapped.open === '{') return { points: parseItems(parts, depth) };
  if (parts.length !== 2 || !'(['.includes(wrapped.open) || !')]'.includes(wrapped.close)) return undefined;
  return {
    range: { lo: parse(parts[0], depth + 1), hi: parse(parts[1], depth + 1), loClosed: wrapped.open === '[', hiClosed: wrapped.close === ']' },
  };
}

function infiniteRange(): Range {
  const infinity = (sign: string): Answer => parseScalar(`${sign}\\infty`);
  return { lo: infinity('-'), hi: infinity(''), loClosed: false, hiClosed: false };
}

function parseRelation(text: string, depth: number): Answer | undefined {
  const { parts, found } = splitTopLevel(text, RELATIONS);
  if (found.length === 0) return undefined;
  if (parts.some((part) => part === '')) return raw(text);
  if (found.includes('∈')) return raw(text);
  const ops = found as RelationOp[];
  if (ops.every((op) => op === '=')) {
    // A chain `x = 5 + 5 + 1 = 11` ends in the answer.
    if (parts.length >= 3) return parse(parts[parts.length - 1], depth + 1);
    const right = parse(parts[1], depth + 1);
    const left = parse(parts[0], depth + 1);
    const bothConstant = isConstant(left) && isConstant(right);
    return { kind: 'relation', sides: parts, ops, ...(isLabel(parts[0]) || bothConstant ? { value: right } : {}) };
  }
  return { kind: 'relation', sides: parts, ops };
}

function isConstant(answer: Answer): boolean {
  return answer.kind === 'expr' && answer.expr.variables.length === 0;
}

/** `[a, b) ∪ \\{c\\}`: every piece must be an interval or a set. */
function parseUnion(pieces: string[], text: string, depth: number): Answer {
  const ranges: Range[] = [];
  const points: Answer[] = [];
  for (const piece of pieces) {
    const parsed = parseRangeOrSet(piece, depth);
    if (!parsed) return raw(text);
    if (parsed.range) ranges.push(parsed.range);
    else points.push(...parsed.points!);
  }
  return { kind: 'union', ranges, points };
}

/** Brackets around the whole answer: a tuple, a set, an interval, or just grouping. */
function parseWrapped(text: string, wrapped: Wrapped, depth: number): Answer | undefined {
  const inner = splitTopLevel(wrapped.inner, ',;').parts;
  const isSet = wrapped.open === '\\{' || wrapped.open === '{';
  if (inner.length > 1 || (isSet && wrapped.inner !== '')) {
    const range = inner.length === 2 && wrapped.open + wrapped.close !== '()' ? parseRangeOrSet(text, depth)?.range : undefined;
    if (range) return { kind: 'union', ranges: [range], points: [] };
    const bracket: Bracket = isSet ? 'brace' : wrapped.open === '[' ? 'square' : 'paren';
    return { kind: 'list', items: parseItems(inner, depth), bracket };
  }
  if (wrapped.inner !== '' && wrapped.open !== '{') {
    // `(x \in [0, 1])` is the interval; `(9 + 1)` stays a scalar, parsed below.
    const innerAnswer = parse(wrapped.inner, depth + 1);
    if (innerAnswer.kind !== 'expr' && innerAnswer.kind !== 'raw') return innerAnswer;
  }
  return undefined;
}

/** The text an answer is about: after `⇒`, before `≈` (unless only a name precedes it), after `x ∈`. */
function answerPart(input: string): string {
  const implied = splitTopLevel(input.trim(), '⇒').parts;
  let text = implied[implied.length - 1];
  const approx = splitTopLevel(text, '≈').parts;
  if (approx.length > 1) text = isLabel(approx[0]) ? approx[1] : approx[0];
  const membership = splitTopLevel(text, '∈').parts;
  if (membership.length === 2 && isLabel(membership[0])) text = membership[1];
  // A whole answer shaped like 7,425,000 or 1 000 is one number, not a list.
  if (/^[-+]?[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?%?$/.test(text) || /^\d{1,3}(?: \d{3})+(?:\.\d+)?$/.test(text)) {
    text = text.replace(/[, ]/g, '');
  }
  return text;
}

function parse(input: string, depth: number): Answer {
  if (depth > MAX_DEPTH || input.trim() === '') return raw(input.trim());
  const text = answerPart(input);
  const groups = splitTopLevel(text, ';').parts.filter((part) => part !== '');
  if (groups.length > 1) {
    const lists = groups.map((group) => parseItems(splitTopLevel(group, ',').parts, depth));
    const items = lists.every((list) => list.length === 1) ? lists.flat() : lists.map((list): Answer => ({ kind: 'list', items: list, bracket: 'paren' }));
    return { kind: 'list', items, bracket: 'none' };
  }
  const union = splitTopLevel(text, '∪').parts;
  if (union.length > 1) return parseUnion(union, text, depth);
  const commas = splitTopLevel(text, ',').parts;
  if (commas.length > MAX_ITEMS) return raw(text);
  if (commas.length > 1) return { kind: 'list', items: parseItems(commas, depth), bracket: 'none' };
  const relation = parseRelation(text, depth);
  if (relation) return relation;
  const wrapped = wrappedWhole(text);
  const structured = wrapped ? parseWrapped(text, wrapped, depth) : undefined;
  if (structured) return structured;
  if (text === 'ℝ') return { kind: 'union', ranges: [infiniteRange()], points: [] };
  const ratio = splitTopLevel(text, ':').parts;
  if (ratio.length === 2 && ratio.every((part) => part !== '')) return { kind: 'ratio', parts: ratio.map((part) => parse(part, depth + 1)) };
  if (/[±∓]/.test(text)) return depth > 6 ? raw(text) : expandPlusMinus(text, depth);
  return parseScalar(text);
}

/** Normalizes and parses an extracted answer. */
export function parseAnswer(extracted: string, maxLength: number): ParsedAnswer {
  if (extracted.length > maxLength) {
    const collapsed = extracted.replace(/\s+/g, ' ').trim();
    return { normalized: collapsed, answer: raw(collapsed) };
  }
  const normalized = normalizeAnswer(extracted);
  const answer = parse(normalized, 0);
  const decimalComma = /^([-+]?\d+),(\d+)$/.exec(normalized);
  return decimalComma ? { normalized, answer, alternative: parse(`${decimalComma[1]}.${decimalComma[2]}`, 0) } : { normalized, answer };
}

/** Parses text that is already normalized (a side of a relation, an interval bound). */
export function parseNormalized(normalized: string): Answer {
  return parse(normalized, 0);
}
