/**
 * String-level normalization of an extracted answer: the spellings that mean the same thing in
 * LaTeX (`\dfrac`/`\frac`, `\le`/`<=`, `\left(`, thin spaces, `\text{}` wrappers, degree signs,
 * dollar signs, thousands separators) become one spelling, so that later steps see one form.
 * Relations and set operators become single Unicode characters, which the structure parser splits on.
 */

/** Commands that a doubled backslash (`\\frac` from JSON-escaped text) still means. */
const KNOWN_COMMANDS = new Set([
  'frac', 'dfrac', 'tfrac', 'cfrac', 'sqrt', 'left', 'right', 'text', 'textbf', 'mathrm', 'mbox', 'pi', 'infty',
  'cdot', 'times', 'div', 'le', 'leq', 'ge', 'geq', 'ne', 'neq', 'pm', 'mp', 'in', 'cup', 'cap', 'sin', 'cos', 'tan',
  'log', 'ln', 'circ', 'boxed', 'begin', 'end', 'alpha', 'beta', 'theta', 'approx', 'quad', 'qquad', 'mathbf',
]);

const TEXT_COMMANDS = String.raw`\\(?:text|textbf|textit|textrm|textsf|texttt|textnormal|mathrm|mathbf|mathit|mathsf|mathtt|mbox|operatorname|boldsymbol|bm|hbox)\*?`;
const UNIT_TEXT = new RegExp(String.raw`^(.*?\S)\s*${TEXT_COMMANDS}\s*\{((?=[^{}]*\p{L})[\p{L}\s.]+)\}(?:\s*\^\s*\{?\s*([23])\s*\}?)?\s*$`, 'su');
const PERCENT_WORD = /^\s*(?:percent(?:age)?|pct)\s*$/i;
const TEXT_WRAPPER = new RegExp(String.raw`${TEXT_COMMANDS}\s*\{([^{}]*)\}`, 'g');

const UNICODE: [RegExp, string][] = [
  [/[−–—]/g, '-'], [/×/g, '\\times '], [/÷/g, '\\div '], [/[·⋅]/g, '\\cdot '], [/√/g, '\\sqrt'], [/π/g, '\\pi '],
  [/∞/g, '\\infty '], [/：/g, ':'], [/，/g, ', '], [/；/g, ';'], [/（/g, '('], [/）/g, ')'], [/²/g, '^2'], [/³/g, '^3'],
];

/**
 * Marks a trailing unit written as text (`15\text{ cm}^2`, `125\textnormal{ miles}`) after something
 * mathematical as `15 \unit{cm^2}`, which the answer parser splits off and compares as a unit.
 */
export function markUnits(text: string): string {
  if (!text.includes('\\')) return text;
  let result = text;
  const units: string[] = [];
  for (let i = 0; i < 3; i++) {
    const match = UNIT_TEXT.exec(result);
    if (!match || PERCENT_WORD.test(match[2]) || !/[\d})\]]$|\\pi$|[a-z]$/i.test(match[1])) break;
    units.unshift(`${match[2].trim()}${match[3] ? `^${match[3]}` : ''}`);
    result = match[1];
  }
  return units.length === 0 ? text : `${result} \\unit{${units.join(' ')}}`;
}

function unwrapTextCommands(text: string): string {
  let result = text;
  for (let previous = ''; previous !== result; ) {
    previous = result;
    result = result.replace(TEXT_WRAPPER, (_, inner: string) => ` ${inner.trim()} `);
  }
  return result;
}

/** `\boxed{x}` left inside an extracted answer (`$\boxed{28}$`) is just `x`. */
function unwrapBoxes(text: string): string {
  let result = text;
  for (let guard = 0; guard < 20; guard++) {
    const match = /\\(?:boxed|fbox)\s*\{/.exec(result);
    if (!match) break;
    let depth = 0;
    let close = -1;
    for (let i = match.index + match[0].length - 1; i < result.length; i++) {
      if (result[i] === '\\') i++;
      else if (result[i] === '{') depth++;
      else if (result[i] === '}' && --depth === 0) {
        close = i;
        break;
      }
    }
    const inner = close === -1 ? result.slice(match.index + match[0].length) : result.slice(match.index + match[0].length, close);
    result = result.slice(0, match.index) + inner + (close === -1 ? '' : result.slice(close + 1));
  }
  return result;
}

export function normalizeAnswer(raw: string): string {
  let s = raw;
  for (const [pattern, replacement] of UNICODE) s = s.replace(pattern, replacement);
  s = s.replace(/(?<!\\)\\\\([a-zA-Z]+)/g, (whole, name: string) => (KNOWN_COMMANDS.has(name) ? `\\${name}` : whole));
  s = s.replace(/\f(?=rac)/g, '\\f');
  s = unwrapBoxes(s);
  // Thousands separators TeX-style (`14{,}916`, `12,\!000`) before thin spaces are dropped.
  s = s.replace(/(\d)\s*\{\s*,\s*\}\s*(?=\d)/g, '$1').replace(/(\d),\\!\s*(?=\d{3})/g, '$1');
  s = s.replace(/\\(?:left|right|bigl|bigr|Bigl|Bigr|big|Big|biggl|biggr|displaystyle|textstyle|limits)(?![a-zA-Z])\s*/g, '');
  s = s.replace(/\\right\./g, '').replace(/\\left\./g, '');
  s = s.replace(/\\(?:q?quad)/g, ' ').replace(/(?<!\\)\\[,;:! ]/g, ' ').replace(/\\hspace\*?\{[^{}]*\}/g, ' ').replace(/~/g, ' ');
  s = s.replace(/\\[dtc]frac/g, '\\frac').replace(/\\[dt]binom/g, '\\binom');
  // A mixed number: `918\frac{1}{2}`, `1\frac12` and `1 1/2` are 918½ and 1½, not products.
  if (/\d\s*\\frac/.test(s)) {
    s = s.replace(/(?<![\d.^_{])(\d+)\s*\\frac\s*(?:\{(\d+)\}|(\d))\s*(?:\{(\d+)\}|(\d))/g, (_, whole: string, n1?: string, n2?: string, d1?: string, d2?: string) => `(${whole}+\\frac{${n1 ?? n2}}{${d1 ?? d2}})`);
  }
  if (/\d\s+\d+\s*\//.test(s)) {
    s = s.replace(/(?<![\w.^_{}/)\]\\])(\d+)\s+([1-9]\d*)\s*\/\s*(\d+)(?![\d.])/g, (whole, units: string, numerator: string, denominator: string) =>
      Number(numerator) < Number(denominator) ? `(${units}+${numerator}/${denominator})` : whole,
    );
  }
  s = s.replace(/\\\$/g, ' ').replace(/\$/g, ' ').replace(/[€£¥]/g, ' ');
  // Degrees become one `°` mark: notation on a value, π/180 inside a trigonometric function.
  s = s.replace(/\^\s*\{\s*\\circ\s*\}|\^\s*\\circ|°|\\degree\b|\\circ\b/g, '°');
  s = markUnits(s.trim());
  s = unwrapTextCommands(s);
  s = s.replace(/\\%|%|\s*\bpercent(?:age)?\b|\s*\bpct\b/gi, '%');
  s = s
    .replace(/\\leq?(?:slant)?(?![a-zA-Z])|<=|=<|⩽/g, '≤')
    .replace(/\\geq?(?:slant)?(?![a-zA-Z])|>=|=>|⩾/g, '≥')
    .replace(/\\neq?(?![a-zA-Z])|!=/g, '≠')
    .replace(/\\lt(?![a-zA-Z])/g, '<')
    .replace(/\\gt(?![a-zA-Z])/g, '>')
    .replace(/\\approx(?![a-zA-Z])|\\simeq(?![a-zA-Z])|\\sim(?![a-zA-Z])/g, '≈')
    .replace(/\\(?:Rightarrow|implies|Longrightarrow|rightarrow|to)(?![a-zA-Z])/g, '⇒')
    .replace(/\\in(?![a-zA-Z])/g, '∈')
    .replace(/\\cup(?![a-zA-Z])/g, '∪')
    .replace(/\\cap(?![a-zA-Z])/g, '∩')
    .replace(/\\pm(?![a-zA-Z])/g, '±')
    .replace(/\\mp(?![a-zA-Z])/g, '∓')
    .replace(/\\mathbb\s*\{?\s*R\s*\}?/g, 'ℝ')
    .replace(/\\(?:emptyset|varnothing)(?![a-zA-Z])/g, '∅')
    .replace(/\\lbrace(?![a-zA-Z])\s*/g, '\\{')
    .replace(/\s*\\rbrace(?![a-zA-Z])/g, '\\}')
    .replace(/\\(?:dots|cdots|ldots|dotsc|dotsb)(?![a-zA-Z])|…/g, '\\ldots');
  // "and"/"or" between answers are list separators; in a pure-word answer they are words.
  if (/[\d(){}[\]=\\]/.test(s)) {
    s = s.replace(/\s+(?:and|or)\s+/gi, ', ').replace(/(?<=[\d)}\]])\s*(?:and|or)\s*(?=[-\w(\\[{])/g, ', ');
  }
  s = s.replace(/\s+/g, ' ').trim();
  s = s.replace(/(?:,\s*)+,/g, ',').replace(/^[,;]\s*/, '').replace(/[\s,;.:]+$/, '').replace(/(?<!\\)\\$/, '').trim();
  return s;
}

/** The form used for plain string comparison, the first step of the cascade. */
export function comparableString(normalized: string): string {
  return normalized.replace(/\s+/g, '').replace(/\{(\w)\}/g, '$1');
}
