/**
 * Extraction: where in a free-text solution the final answer is. It returns candidate answer
 * texts in priority order; the verifier takes the first one that parses. Comparison never happens
 * here, so the gold and the candidate are read by the same code.
 */
import { normalizeAnswer } from './normalize.ts';
import { findBoxes, findMathEnvironments, isConnective, lastGroup, type Span } from './spans.ts';

export type ExtractionSource = 'boxed' | 'final-answer' | 'answer-marker' | 'math' | 'whole' | 'plain-number';

export interface Extraction {
  text: string;
  source: ExtractionSource;
}

const MAX_TEXT = 200_000;
const FINAL_ANSWER = /final\s+answer\s*(?:is|:|：)?\s*:?/gi;
const ANSWER_MARKER = /\banswer\s*(?:is\b|:|：|=)\s*:?|\bréponse\s*(?:finale\s*)?(?:est\b|:)\s*:?|答案\s*(?:是|为|：|:)?|الإجابة\s*(?:هي|:)?|उत्तर\s*(?:है|:)?/gi;
/** A number as people write it in prose, or a small LaTeX fraction or root. */
const NUMBER_TOKEN =
  /\\[dtc]?frac\{[^{}]{1,40}\}\{[^{}]{1,40}\}|\\sqrt\{[^{}]{1,40}\}|(?<![A-Za-z0-9.])[-+−]?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:[.,]\d+)?|\.\d+)(?:[eE][-+]?\d+)?(?:\s*\/\s*\d+(?:\.\d+)?)?(?!\d)(?:\s*%)?/gu;

/** Solutions often carry JSON-escaped text (`\\boxed`, a literal `\n`); read them as TeX would. */
export function unescapeText(text: string): string {
  let result = text.length > MAX_TEXT ? text.slice(-MAX_TEXT) : text;
  const thinkEnd = result.lastIndexOf('</think>');
  if (thinkEnd !== -1 && result.slice(thinkEnd + 8).trim() !== '') result = result.slice(thinkEnd + 8);
  return result.replace(/(?<!\\)\\n(?![a-zA-Z])/g, '\n').replace(/(?<!\\)\\(\\(?:boxed|fbox|frac|dfrac|left|right|text|sqrt|pi|cdot|times|in|le|ge|leq|geq)\b)/g, '$1');
}

function joined(spans: Span[]): string {
  return spans.map((span) => span.content.trim()).join(', ');
}

function lastMatchEnd(text: string, pattern: RegExp): number {
  let end = -1;
  pattern.lastIndex = 0;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    end = match.index + match[0].length;
    if (match[0] === '') pattern.lastIndex++;
  }
  return end;
}

/** Only digits, operators, brackets and TeX: a formula rather than a sentence. */
function isFormulaLike(text: string): boolean {
  const words = text.replace(/\\[a-zA-Z]+/g, ' ').match(/\p{L}{3,}/gu) ?? [];
  return text.trim() !== '' && words.length === 0 && !/[^\x00-\x7F]/.test(text.replace(/[−×÷·√π∞≤≥≠°]/g, ''));
}

/** Words of prose, not counting TeX commands, `\text{}` labels or connectives between answers. */
export function wordCount(text: string): number {
  const formula = normalizeAnswer(text.replace(/\\(?:text\w*|mbox|mathrm)\s*\{[^{}]*\}/g, ' '));
  return (formula.replace(/\\(?:begin|end)\s*\{[^{}]*\}|\\[a-zA-Z]+/g, ' ').match(/\p{L}{3,}|[^\x00-\x7F\s]{2,}/gu) ?? []).length;
}

/** A short answer in words ("odd", "Evelyn", "\text{Even}"). */
function isAllWords(text: string): boolean {
  const normalized = normalizeAnswer(text);
  return /^[\p{L}\s'.-]{1,60}$/u.test(normalized) && normalized.split(/\s+/).length <= 3;
}

function lastNumberToken(text: string): { text: string; index: number } | undefined {
  let last: RegExpMatchArray | undefined;
  for (const match of text.matchAll(NUMBER_TOKEN)) last = match;
  return last ? { text: last[0].trim(), index: last.index! } : undefined;
}

export function numberTokens(text: string): string[] {
  return [...text.matchAll(NUMBER_TOKEN)].map((match) => match[0].trim());
}

/** The answer stated after a marker such as "The final answer is": the rest of that sentence. */
function afterMarker(text: string, markerEnd: number): string | undefined {
  const rest = text.slice(markerEnd, markerEnd + 1_000).replace(/^[\s*"“']+/, '');
  const envs = findMathEnvironments(rest);
  if (envs.length > 0 && envs[0].start === 0) {
    const group = [envs[0]];
    for (let i = 1; i < envs.length && isConnective(rest.slice(group[group.length - 1].end, envs[i].start)); i++) group.push(envs[i]);
    return joined(group);
  }
  const sentenceEnd = rest.search(/\.(?=\s|$)|\n|。|！|!|\?|<\|/);
  let sentence = (sentenceEnd === -1 ? rest : rest.slice(0, sentenceEnd)).trim();
  const copula = /.*(?:\sis|\sest|\sare|\sequals|是|为)\s/s.exec(sentence + ' ');
  if (copula && copula[0].length < sentence.length) sentence = sentence.slice(copula[0].length).trim();
  if (sentence === '') return undefined;
  const envsInSentence = findMathEnvironments(sentence);
  if (envsInSentence.length > 0) return joined(lastGroup(sentence, envsInSentence));
  if (isFormulaLike(sentence)) return sentence.replace(/[.,;:]+$/, '');
  return numberTokens(sentence)[0];
}

/** Candidate answers of a solution text, best first. */
export function extractAnswers(raw: string, options: { plainNumbers: boolean }): Extraction[] {
  const text = unescapeText(raw);
  const found: Extraction[] = [];
  const boxes = findBoxes(text);
  const finalEnd = lastMatchEnd(text, FINAL_ANSWER);
  const lastBox = boxes[boxes.length - 1];
  // A box the model wrote after its "final answer" sentence, or inside it, is the answer; a
  // "final answer" stated after an intermediate box replaces it.
  if (finalEnd !== -1 && (!lastBox || lastBox.start < finalEnd)) {
    const stated = afterMarker(text, finalEnd);
    if (stated) found.push({ text: stated, source: 'final-answer' });
  }
  if (lastBox) found.push({ text: joined(lastGroup(text, boxes)), source: 'boxed' });
  const markerEnd = lastMatchEnd(text, ANSWER_MARKER);
  if (markerEnd !== -1) {
    const stated = afterMarker(text, markerEnd);
    if (stated) found.push({ text: stated, source: 'answer-marker' });
  }
  const envs = findMathEnvironments(text);
  const lastNumber = options.plainNumbers ? lastNumberToken(text) : undefined;
  // The last math expression wins, whether it is typeset or a number in prose.
  if (lastNumber && envs.length > 0 && lastNumber.index >= envs[envs.length - 1].end) found.push({ text: lastNumber.text, source: 'plain-number' });
  if (envs.length > 0) found.push({ text: joined(lastGroup(text, envs)), source: 'math' });
  const trimmed = text.trim();
  if (trimmed !== '' && !trimmed.includes('\n') && trimmed.length <= 200 && (wordCount(trimmed) === 0 || isAllWords(trimmed))) {
    found.push({ text: trimmed, source: 'whole' });
  }
  if (lastNumber) found.push({ text: lastNumber.text, source: 'plain-number' });
  return found;
}

/** The gold answer: usually the whole text, unless it is itself a solution or wrapped in `\boxed{}`/`$…$`. */
export function extractGold(raw: string): Extraction[] {
  const text = unescapeText(raw).trim();
  const looksWrapped = /\\boxed|\\fbox|\$|\\\(|\\\[|answer/i.test(text);
  if (!looksWrapped) return [{ text, source: 'whole' }];
  return [...extractAnswers(text, { plainNumbers: true }), { text, source: 'whole' }];
}
