/** Tokens of a normalized LaTeX expression, for the converter in latex-parse.ts. */

export type Token =
  | { type: 'number'; value: string }
  | { type: 'letter'; value: string }
  /** A command (`\frac`) or a function name written plainly (`sqrt`, `sin`). */
  | { type: 'command'; value: string }
  | { type: 'symbol'; value: string }
  | { type: 'environment'; name: string; body: string };

export class UnsupportedLatex extends Error {}

/** Function and constant names recognised when written without a backslash (`sqrt(2)`, `pi`). */
const PLAIN_NAMES = [
  'arcsin', 'arccos', 'arctan', 'sqrt', 'sinh', 'cosh', 'tanh', 'sin', 'cos', 'tan', 'sec', 'csc', 'cot', 'log', 'ln', 'exp', 'abs', 'pi',
];

const MAX_TOKENS = 2_000;

function readEnvironment(text: string, start: number): { name: string; body: string; end: number } {
  const head = /^\\begin\s*\{([a-zA-Z*]+)\}/.exec(text.slice(start));
  if (!head) throw new UnsupportedLatex('malformed \\begin');
  const name = head[1];
  let depth = 1;
  const pattern = /\\(begin|end)\s*\{([a-zA-Z*]+)\}/g;
  pattern.lastIndex = start + head[0].length;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    if (match[2] !== name) continue;
    depth += match[1] === 'begin' ? 1 : -1;
    if (depth === 0) return { name, body: text.slice(start + head[0].length, match.index), end: match.index + match[0].length };
  }
  throw new UnsupportedLatex(`unclosed \\begin{${name}}`);
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    if (tokens.length > MAX_TOKENS) throw new UnsupportedLatex('expression too long');
    const ch = text[i];
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const number = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+(?![.\d]))?/.exec(text.slice(i, i + 400));
    if (number) {
      tokens.push({ type: 'number', value: number[0].endsWith('.') ? number[0].slice(0, -1) : number[0] });
      i += number[0].length;
      continue;
    }
    if (ch === '\\') {
      if (text.startsWith('\\begin', i)) {
        const env = readEnvironment(text, i);
        tokens.push({ type: 'environment', name: env.name, body: env.body });
        i = env.end;
        continue;
      }
      const name = /^\\([a-zA-Z]+)/.exec(text.slice(i, i + 40));
      if (name) {
        tokens.push({ type: 'command', value: name[1] });
        i += name[0].length;
        continue;
      }
      const next = text[i + 1];
      if (next === '{' || next === '}' || next === '|') {
        tokens.push({ type: 'symbol', value: `\\${next}` });
        i += 2;
        continue;
      }
      if (next === '\\') throw new UnsupportedLatex('line break outside a matrix');
      throw new UnsupportedLatex(`stray backslash before '${next ?? ''}'`);
    }
    if (/[a-zA-Z]/.test(ch)) {
      const run = /^[a-zA-Z]+/.exec(text.slice(i, i + 200))![0];
      const plain = PLAIN_NAMES.find((name) => run.startsWith(name));
      if (plain) {
        tokens.push({ type: 'command', value: plain });
        i += plain.length;
      } else {
        tokens.push({ type: 'letter', value: ch });
        i++;
      }
      continue;
    }
    if ('+-*/^_()[]{}|!,=<>\'&.°'.includes(ch)) {
      tokens.push({ type: 'symbol', value: ch });
      i++;
      continue;
    }
    throw new UnsupportedLatex(`unexpected character '${ch}'`);
  }
  return tokens;
}
