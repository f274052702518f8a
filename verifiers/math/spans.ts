/**
 * Locating LaTeX answer spans in free text: `\boxed{}` / `\fbox{}` with brace matching, and math
 * environments (`$…$`, `$$…$$`, `\(…\)`, `\[…\]`). Pure scanning, linear in the text length.
 */

const MAX_BOXES = 64;

export interface Span {
  start: number;
  end: number;
  content: string;
}

/** Index just past the `}` that closes the `{` at `open`, or -1 when the braces never balance. */
export function matchBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\') {
      i++;
      continue;
    }
    if (ch === '{') depth++;
    else if (ch === '}') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

/** Every `\boxed{…}` and `\fbox{…}`; an unclosed box runs to the end of the text. */
export function findBoxes(text: string): Span[] {
  const spans: Span[] = [];
  const pattern = /\\+(?:boxed|fbox)\b\s*/g;
  // Only the last boxes can hold the answer; brace matching each of thousands would be quadratic.
  const matches = [...text.matchAll(pattern)].slice(-MAX_BOXES);
  for (const match of matches) {
    const bodyStart = match.index + match[0].length;
    if (text[bodyStart] === '{') {
      const close = matchBrace(text, bodyStart);
      const end = close === -1 ? text.length : close;
      const content = close === -1 ? text.slice(bodyStart + 1) : text.slice(bodyStart + 1, close - 1);
      spans.push({ start: match.index, end, content: content.trim() });
    } else {
      // `\boxed 5`: TeX takes the next token as the argument.
      const token = /^[^\s$\\]+/.exec(text.slice(bodyStart));
      if (token) spans.push({ start: match.index, end: bodyStart + token[0].length, content: token[0] });
    }
  }
  return spans;
}

function closingIndex(text: string, from: number, delimiter: string, singleLine: boolean): number {
  for (let i = from; i < text.length; i++) {
    if (singleLine && text[i] === '\n') return -1;
    if (text[i] === '\\' && delimiter === '$') {
      i++;
      continue;
    }
    if (text.startsWith(delimiter, i)) {
      if (delimiter === '$' && text[i + 1] === '$') return -1;
      return i;
    }
  }
  return -1;
}

const DELIMITERS: { open: string; close: string; singleLine: boolean }[] = [
  { open: '$$', close: '$$', singleLine: false },
  { open: '\\[', close: '\\]', singleLine: false },
  { open: '\\(', close: '\\)', singleLine: true },
  { open: '$', close: '$', singleLine: true },
];

/** Math environments in reading order; inline ones may not cross a line break, as in TeX. */
export function findMathEnvironments(text: string): Span[] {
  const spans: Span[] = [];
  // A delimiter that has no closing one after position i has none after any later position either.
  const exhausted = new Set<string>();
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch !== '$' && ch !== '\\') continue;
    if (ch === '\\' && text[i + 1] !== '[' && text[i + 1] !== '(') {
      i++;
      continue;
    }
    const delimiter = DELIMITERS.find((d) => text.startsWith(d.open, i));
    if (!delimiter || exhausted.has(delimiter.open)) continue;
    const close = closingIndex(text, i + delimiter.open.length, delimiter.close, delimiter.singleLine);
    if (close === -1) {
      if (!delimiter.singleLine) exhausted.add(delimiter.open);
      continue;
    }
    const content = text.slice(i + delimiter.open.length, close).trim();
    const end = close + delimiter.close.length;
    if (content !== '') spans.push({ start: i, end, content });
    i = end - 1;
  }
  return spans;
}

const CONNECTIVES = /^(?:and|or|et|ou|y|und|o|以及|和|或)$/i;

/**
 * Whether the text between two spans only joins them, so they form one answer: punctuation alone
 * (`\boxed{1}, \boxed{2}`), or a few words among which a connective ("and", "or", `\text{ and }`).
 */
export function isConnective(gap: string): boolean {
  if (gap.length > 120 || /\n\s*\n/.test(gap)) return false;
  const words = gap
    .replace(/\\text\w*\s*\{([^{}]*)\}/g, ' $1 ')
    .replace(/\\[a-zA-Z]+/g, ' ')
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .split(/\s+/)
    .filter((word) => word !== '');
  return words.length === 0 || (words.length <= 4 && words.some((word) => CONNECTIVES.test(word)));
}

/** The last run of spans joined only by connectives: `\boxed{1} and \boxed{2}` is one answer. */
export function lastGroup(text: string, spans: Span[]): Span[] {
  if (spans.length === 0) return [];
  const group = [spans[spans.length - 1]];
  for (let i = spans.length - 2; i >= 0; i--) {
    const gap = text.slice(spans[i].end, group[0].start);
    if (spans[i].end > group[0].start || !isConnective(gap)) break;
    group.unshift(spans[i]);
  }
  return group;
}
