/**
 * The text normalization the contamination guard compares on. Two texts that differ only in case,
 * white space, punctuation, the Unicode form of a character or thousands separators give the same
 * tokens; texts whose numbers or operators differ never do ("3 apples" is not "4 apples",
 * "2+3" is not "2-3").
 *
 * Tokens are: runs of letters (with their combining marks); numbers, with a decimal point kept
 * inside ("3.50") and thousands groups joined ("1,000" is "1000"; "1,5" and "(1,23)" are two
 * numbers, a list or a pair); and one token per
 * arithmetic or relation symbol (+ - * / ^ % = < > and the other Unicode math symbols), with × ÷ −
 * and the LaTeX \times \cdot \div \le \ge \ne \pm read as the plain symbol. A run of dashes
 * ("--") is punctuation. Number words from zero to twenty and the tens are read as their digits ("two
 * loaves" is "2 loaves"). Everything else — punctuation, brackets, quotes, currency signs, LaTeX
 * backslashes and braces — only separates tokens.
 */

const TOKEN = /\p{N}+(?:,\p{N}{3}(?!\p{N}))*(?:\.\p{N}+)?|[\p{L}\p{M}]+|[\p{Sm}*/^%]|(?<!-)-(?!-)/gu;

const LATEX_SYMBOLS: Record<string, string> = { times: '×', cdot: '×', div: '÷', le: '≤', leq: '≤', ge: '≥', geq: '≥', ne: '≠', neq: '≠', pm: '±' };
const LATEX_COMMAND = /\\(times|cdot|div|leq?|geq?|neq?|pm)(?![a-zA-Z])/g;

const SYMBOL_ALIASES = new Map([['×', '*'], ['÷', '/'], ['−', '-'], ['∗', '*'], ['⁄', '/']]);

const NUMBER_WORDS = new Map<string, string>(
  [
    ...'zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty'.split(' ').map((w, i): [string, number] => [w, i]),
    ...'thirty forty fifty sixty seventy eighty ninety'.split(' ').map((w, i): [string, number] => [w, 30 + 10 * i]),
  ].map(([word, value]) => [word, String(value)]),
);

const DIGITS = /^\p{N}/u;

/** Whether a token is a number (the contamination guard requires a near copy to keep them all). */
export const isNumberToken = (token: string) => DIGITS.test(token);

export function tokenize(text: string): string[] {
  const plain = text.normalize('NFKC').replace(LATEX_COMMAND, (_, command: string) => ` ${LATEX_SYMBOLS[command]} `);
  const tokens = plain.toLowerCase().match(TOKEN) ?? [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    const alias = SYMBOL_ALIASES.get(token) ?? NUMBER_WORDS.get(token);
    if (alias !== undefined) tokens[i] = alias;
    else if (token.length > 4 && token.includes(',')) tokens[i] = token.replaceAll(',', '');
  }
  return tokens;
}
