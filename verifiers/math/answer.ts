/**
 * Structure of an answer: a scalar (or matrix) expression, words, a number in a base, a
 * list/tuple/set, a union of intervals, a relation (equation or inequality), or a ratio. Parsing
 * never throws: what cannot be read becomes `raw` and is compared as a string only.
 */
import { compileExpression, type CompiledExpression } from './expr.ts';
import { normalizeAnswer } from './normalize.ts';
import { parseBased, splitUnit, unitKey } from './notation.ts';
import { isName, nameKey, splitTopLevel, wrappedWhole, type Wrapped } from './structure.ts';

export type Bracket = 'none' | 'paren' | 'square' | 'brace';
export type RelationOp = '=' | '<' | '≤' | '>' | '≥' | '≠';

export interface Range {
  lo: Answer;
  hi: Answer;
  loClosed: boolean;
  hiClosed: boolean;
}

export type Answer =
  /** `unit`: the unit after the value in one spelling (`foot^2`), '' when none or a placeholder (`units`). */
  | { kind: 'expr'; text: string; expr: CompiledExpression; percent: boolean; unit: string }
  | { kind: 'text'; text: string }
  | { kind: 'based'; text: string; digits: string; base: number }
  | { kind: 'list'; items: Answer[]; bracket: Bracket }
  | { kind: 'union'; ranges: Range[]; points: Answer[] }
  /**
   * `name`: the key of a left side that names the answer (`x`, `f(3)`, `(p, q)`), whose `value` is the
   * right side; a relation between two constants (`3! \times 5! = 720`) has a `value` and no name.
   */
  | { kind: 'relation'; sides: string[]; ops: RelationOp[]; name?: string; value?: Answer }
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
  const { value, unit } = splitUnit(text.trim());
  let body = value.trim();
  const percent = body.endsWith('%');
  if (percent) body = body.slice(0, -1).trim();
  if (body === '') return raw(text);
  if (isWords(body)) return { kind: 'text', text: body.toLowerCase().replace(/\s+/g, ' ').replace(/[.'-]/g, '') };
  const based = parseBased(body);
  if (based) return { kind: 'based', text: body, ...based };
  try {
    return { kind: 'expr', text: body, expr: compileExpression(body), percent, unit: unit === undefined ? '' : unitKey(unit) };
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

/** `x = 3` inside a list keeps its name; a list whose names repeat (`p=5, q=2, p=7, q=2`) is a list of tuples. */
function parseItems(texts: string[], depth: number): Answer[] {
  const labelled = texts.map((text) => {
    const { parts, found } = splitTopLevel(text, '=');
    return found.length === 1 && isName(parts[0]) ? { label: nameKey(parts[0]), value: parts[1], text } : { value: text, text };
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
    .map((item) => parse(item.text, depth + 1))
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
    // A chain `x = 5 + 5 + 1 = 11` states its first side equals its last; the middle is working.
    const [first, last] = [parts[0], parts[parts.length - 1]];
    const right = parse(last, depth + 1);
    if (isName(first)) return { kind: 'relation', sides: [first, last], ops: ['='], name: nameKey(first), value: right };
    if (isName(last)) return { kind: 'relation', sides: [first, last], ops: ['='], name: nameKey(last), value: parse(first, depth + 1) };
    const constant = isConstant(parse(first, depth + 1)) && isConstant(right);
    return { kind: 'relation', sides: [first, last], ops: ['='], ...(constant ? { value: right } : {}) };
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

const PAIRED: Record<string, string> = { '(': ')', '[': ']', '\\{': '\\}', '{': '}' };

/** Brackets around the whole answer: a tuple, a set, an interval, or just grouping. */
function parseWrapped(text: string, wrapped: Wrapped, depth: number): Answer | undefined {
  const inner = splitTopLevel(wrapped.inner, ',;').parts;
  const isSet = wrapped.open === '\\{' || wrapped.open === '{';
  if (inner.length > 1 || (isSet && wrapped.inner !== '')) {
    const range = inner.length === 2 && wrapped.open + wrapped.close !== '()' ? parseRangeOrSet(text, depth)?.range : undefined;
    if (range) return { kind: 'union', ranges: [range], points: [] };
    // `[6, 31, -1)` is neither a tuple nor an interval.
    if (PAIRED[wrapped.open] !== wrapped.close) return raw(text);
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

/**
 * The text an answer is about: after `⇒`, before `≈` (unless only a name precedes it), after `x ∈`,
 * with the name it is stated for (`x ∈ [0, 1]` names x, so it is not `y ∈ [0, 1]`).
 */
function answerPart(input: string): { text: string; name?: string } {
  const implied = splitTopLevel(input.trim(), '⇒').parts;
  let text = implied[implied.length - 1];
  let name: string | undefined;
  const approx = splitTopLevel(text, '≈').parts;
  if (approx.length > 1) [text, name] = isName(approx[0]) ? [approx[1], approx[0]] : [approx[0], undefined];
  const membership = splitTopLevel(text, '∈').parts;
  if (membership.length === 2 && isName(membership[0])) [text, name] = [membership[1], membership[0]];
  // A whole answer shaped like 7,425,000 or 1 000 (with a unit or not) is one number, not a list.
  if (/\d[, ]\d{3}/.test(text)) {
    const { value, unit } = splitUnit(text);
    if (/^[-+]?[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?%?$/.test(value) || /^\d{1,3}(?: \d{3})+(?:\.\d+)?$/.test(value)) {
      text = `${value.replace(/[, ]/g, '')}${unit === undefined ? '' : ` \\unit{${unit}}`}`;
    }
  }
  return { text, name };
}

function parse(input: string, depth: number): Answer {
  if (depth > MAX_DEPTH || input.trim() === '') return raw(input.trim());
  const { text, name } = answerPart(input);
  if (name === undefined) return parseStated(text, depth);
  return { kind: 'relation', sides: [name, text], ops: ['='], name: nameKey(name), value: parseStated(text, depth) };
}

function parseStated(text: string, depth: number): Answer {
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
