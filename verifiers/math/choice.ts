/**
 * Multiple-choice answers: a gold that is a choice letter (`C`, `(C) Cecile`, `\text{(C)}`) is
 * compared with the letter the candidate chose, found by box, answer marker, leading letter, or
 * the last letter that stands alone.
 */
import { unescapeText } from './extract.ts';
import { findBoxes } from './spans.ts';

const LETTERS = 'A-HJ';
const GOLD_CHOICE = /^\(?([A-J])\)?(?:$|[.:)]?\s+\S|[.:)]$)/;
const MARKER = /(?:final\s+answer|\banswer|\bréponse|答案|الإجابة|उत्तर)\s*(?:is\b|est\b|:|：|是|为|هي|है)?/gi;
const LEADING = new RegExp(`^\\s*\\(?([${LETTERS}])\\)?(?=$|[\\s.:,;)。，：、]|[^\\x00-\\x7F])`);
/** A letter alone: not inside a word or formula, and not starting a phrase ("A cat", "B is"). */
const STANDALONE = new RegExp(`(?<![\\p{L}\\p{N}*+\\-=^/])\\(?([${LETTERS}])\\)?(?![\\p{L}\\p{N}*+\\-=^/(])(?!\\s+[a-z])`, 'gu');

function plain(text: string): string {
  return text
    .replace(/\\(?:text|textbf|textrm|mathrm|mathbf|mbox)\s*\{([^{}]*)\}/g, '$1')
    .replace(/\$|\\\(|\\\)|\\\[|\\\]/g, ' ');
}

/** The choice letter a gold answer names, or undefined when the gold is not a choice. */
export function goldChoice(gold: string): string | undefined {
  const text = unescapeText(gold);
  const boxes = findBoxes(text);
  const markerEnd = lastMarkerEnd(plain(text));
  const source = boxes.length > 0 ? boxes[boxes.length - 1].content : markerEnd === -1 ? plain(text) : plain(text).slice(markerEnd);
  const line = plain(source).trim().split('\n')[0].trim();
  const match = GOLD_CHOICE.exec(line);
  if (!match) return undefined;
  // "A = 5" or "C + 1" is an expression, not a choice.
  const rest = line.slice(match[0].length - 1);
  return /[=+*^<>\\]/.test(rest) ? undefined : match[1];
}

function lastMarkerEnd(text: string): number {
  let end = -1;
  MARKER.lastIndex = 0;
  for (let match = MARKER.exec(text); match; match = MARKER.exec(text)) end = match.index + match[0].length;
  return end;
}

function firstStandalone(text: string): string | undefined {
  STANDALONE.lastIndex = 0;
  return STANDALONE.exec(text)?.[1];
}

/**
 * The letter a candidate chose, or undefined when it names none. Where the candidate states an
 * answer (a box, "the answer is"), that statement decides: a boxed 145° chooses no letter, even if
 * a point E appears in the working.
 */
export function extractChoice(candidate: string): string | undefined {
  const text = unescapeText(candidate);
  const boxes = findBoxes(text);
  if (boxes.length > 0) return LEADING.exec(plain(boxes[boxes.length - 1].content).trim())?.[1];
  // Letters inside formulas are points and variables, never choices.
  const flat = text.replace(/\$\$[\s\S]*?\$\$|\$[^$\n]*\$|\\\([\s\S]*?\\\)|\\\[[\s\S]*?\\\]/g, ' ');
  const markerEnd = lastMarkerEnd(plain(flat));
  if (markerEnd !== -1) {
    const sentence = plain(flat).slice(markerEnd).split(/\n|(?<=\.)\s/)[0] ?? '';
    return LEADING.exec(sentence.replace(/^[\s:*"]+/, ''))?.[1] ?? firstStandalone(sentence);
  }
  const leading = LEADING.exec(plain(flat))?.[1];
  if (leading) return leading;
  const sentences = plain(flat).split(/[.!?。\n]\s*/).filter((sentence) => sentence.trim() !== '');
  const last = [...(sentences[sentences.length - 1] ?? '').matchAll(STANDALONE)];
  return last.length > 0 ? last[last.length - 1][1] : undefined;
}
