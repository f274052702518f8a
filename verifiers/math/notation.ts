/**
 * What a number may carry beside its value: a unit or words after it (`10 weeks`, `15 \unit{cm^2}`,
 * `10 square units`), or a base subscript (`4210_7`, `4210_{7}`).
 */

export interface Based {
  /** Digits in upper case, without leading zeros, with a leading `-` when negative. */
  digits: string;
  base: number;
}

function validIn(digits: string, base: number): boolean {
  return [...digits.replace(/^-/, '')].every((digit) => Number.parseInt(digit, 36) < base);
}

/**
 * `4210_7`, `4210_{7}`, `-52_8`, `1A_{16}`: a numeral in a base from 2 to 36; not a variable like
 * `x_1` or `2a_1`. Decimal digits too large for the base (`4219_7`) still make a numeral, a wrong one.
 */
export function parseBased(text: string): Based | undefined {
  const match = /^(-?)\(?([0-9A-Za-z]+)\)?_\{?\(?(\d{1,2})\)?\}?$/.exec(text.replace(/\s+/g, ''));
  if (!match) return undefined;
  const base = Number(match[3]);
  const digits = match[2].toUpperCase();
  if (base < 2 || base > 36 || !(/^\d+$/.test(digits) || (/\d/.test(digits) && base > 10 && validIn(digits, base)))) return undefined;
  return { digits: `${match[1]}${digits.replace(/^0+(?=.)/, '')}`, base };
}

/** The value of based digits, exactly; undefined when a digit is not one of the base's. */
export function basedValue(based: Based): bigint | undefined {
  if (!validIn(based.digits, based.base)) return undefined;
  const negative = based.digits.startsWith('-');
  const value = [...based.digits.replace(/^-/, '')].reduce((sum, digit) => sum * BigInt(based.base) + BigInt(Number.parseInt(digit, 36)), 0n);
  return negative ? -value : value;
}

const ALIASES: Record<string, string> = {
  cm: 'centimeter', mm: 'millimeter', km: 'kilometer', m: 'meter', metre: 'meter', centimetre: 'centimeter',
  ft: 'foot', feet: 'foot', in: 'inch', yd: 'yard', mi: 'mile', hr: 'hour', h: 'hour', min: 'minute', sec: 'second',
  s: 'second', kg: 'kilogram', g: 'gram', mg: 'milligram', lb: 'pound', oz: 'ounce', l: 'liter', litre: 'liter',
  ml: 'milliliter', deg: 'degree', yr: 'year', mph: 'mile per hour', kmh: 'kilometer per hour',
};
/** Units written without a space after the number (`10cm`, `10weeks`) and short ones that are never variables. */
const KNOWN = new Set([
  ...Object.keys(ALIASES).filter((unit) => unit.length > 1), ...Object.values(ALIASES), 'unit', 'square', 'cubic', 'sq', 'cu',
  'day', 'week', 'month', 'year', 'dollar', 'cent', 'people', 'person', 'student', 'way', 'gallon', 'cup', 'ton', 'acre', 'radian',
]);
/** Names that are mathematics, not words, in plain text. */
const NOT_WORDS = /^(?:sin|cos|tan|sec|csc|cot|log|ln|exp|sqrt|pi|abs|arcsin|arccos|arctan|sinh|cosh|tanh|mod|det|alpha|beta|gamma|delta|theta|lambda|sigma|omega|phi|infty)$/i;

function singular(word: string): string {
  const lower = word.toLowerCase().replace(/\.$/, '');
  if (lower.length <= 2 || lower === 'inches') return lower === 'inches' ? 'inch' : lower;
  if (/ies$/.test(lower)) return lower.replace(/ies$/, 'y');
  if (/(?:ch|sh|x)es$/.test(lower)) return lower.slice(0, -2);
  return /[^s]s$/.test(lower) ? lower.slice(0, -1) : lower;
}

function isUnitWord(word: string, spaced: boolean): boolean {
  const key = singular(word);
  if (KNOWN.has(key) || KNOWN.has(word.toLowerCase())) return true;
  // Any other word needs a space before it, four letters and a vowel: `2 abc` and `6xyz` stay variables.
  return spaced && word.length >= 4 && /[aeiou]/i.test(word) && !NOT_WORDS.test(word);
}

const MAX_UNIT_WORDS = 4;
const isLetter = (ch: string | undefined) => ch !== undefined && /[A-Za-z]/.test(ch);

/** Up to four words at the end of `text`, scanned backwards (no regex backtracking on long input). */
function trailingWords(text: string): { start: number; words: string[]; spaced: boolean } | undefined {
  const words: string[] = [];
  let end = text.length;
  let spaced = false;
  while (words.length < MAX_UNIT_WORDS) {
    let wordEnd = end;
    while (wordEnd > 0 && text[wordEnd - 1] === ' ') wordEnd--;
    let stop = wordEnd > 0 && text[wordEnd - 1] === '.' ? wordEnd - 1 : wordEnd;
    const letters = stop;
    while (stop > 0 && isLetter(text[stop - 1])) stop--;
    if (stop === letters) break;
    words.unshift(text.slice(stop, wordEnd));
    spaced = stop > 0 && text[stop - 1] === ' ';
    end = stop;
    if (!spaced) break;
  }
  return words.length === 0 ? undefined : { start: end, words, spaced };
}

/** `10 weeks` → value `10`, unit `weeks`; `15 \unit{cm^2}` → `15`, `cm^2`; anything else is all value. */
export function splitUnit(text: string): { value: string; unit?: string } {
  const marked = text.endsWith('}') ? /^(.*\S)\s*\\unit\{([^{}]*)\}$/s.exec(text) : null;
  if (marked) return { value: marked[1], unit: marked[2] };
  const power = /\s*\^\s*\{?\s*([23])\s*\}?$/.exec(text.slice(-16));
  const body = power ? text.slice(0, text.length - power[0].length) : text;
  const trailing = trailingWords(body);
  if (!trailing) return { value: text };
  const value = body.slice(0, trailing.start).trimEnd();
  if (!/(?:[\d})\]]|\\pi)$/.test(value) || !/\d/.test(value)) return { value: text };
  if (!trailing.words.every((word, index) => isUnitWord(word, trailing.spaced || index > 0))) return { value: text };
  return { value, unit: `${trailing.words.join(' ')}${power ? `^${power[1]}` : ''}` };
}

/**
 * One spelling per unit, for comparing units: `square feet`, `sq ft` and `ft^2` are all `foot^2`.
 * Placeholders and notation (`units`, `degrees`) are no unit at all.
 */
export function unitKey(unit: string): string {
  let words = unit.toLowerCase().replace(/\\[a-z]+/g, ' ').replace(/[{}]/g, '').trim().split(/\s+/).filter((word) => word !== '');
  let power = '';
  const powerMatch = /\^(\d)$/.exec(words[words.length - 1] ?? '');
  if (powerMatch) {
    power = powerMatch[1];
    words[words.length - 1] = words[words.length - 1].replace(/\^\d$/, '');
  }
  if (['square', 'sq'].includes(words[0])) [power, words] = ['2', words.slice(1)];
  else if (['cubic', 'cu'].includes(words[0])) [power, words] = ['3', words.slice(1)];
  const named = words.map((word) => ALIASES[singular(word)] ?? singular(word));
  if (named.every((word) => word === 'unit' || word === 'degree' || word === '')) return '';
  return `${named.join(' ')}${power && power !== '1' ? `^${power}` : ''}`;
}
