import { isNumberToken, tokenize } from './tokens.ts';

/** One eval text found in a checked text. */
export interface TextMatch {
  /** Position of the eval text in the list the index was built from. */
  evalIndex: number;
  /** `exact`: the same tokens; `ngram`: enough of the eval text's n-grams appear in the checked text. */
  kind: 'exact' | 'ngram';
  /** Fraction of the eval text's tokens inside an n-gram the checked text shares (1 for exact). */
  score: number;
  /** For `ngram`: the n-gram length used for this eval text (n, or its whole length when shorter). */
  n?: number;
}

export interface NgramIndexOptions {
  /** n-gram length in tokens. */
  ngram: number;
  /** Least score that counts as a near duplicate. */
  threshold: number;
  /** Eval texts shorter than this are matched exactly only. */
  minTokens: number;
  /** A near duplicate must also contain the eval text's numbers, in their order. */
  sameNumbers: boolean;
}

interface EvalText {
  ids: Int32Array;
  /** The n-gram length for this text, or 0 when it is matched exactly only. */
  n: number;
  /** Its number tokens, in order. */
  numbers: number[];
}

/** Position bits of a posting; the rest are the eval text's index. */
const POSITION_RANGE = 2 ** 21;

/** A 53-bit hash of the token ids in [start, start + length): two 32-bit polynomial hashes. */
function windowHash(ids: Int32Array, start: number, length: number): number {
  let a = 0;
  let b = 0;
  for (let i = start; i < start + length; i++) {
    a = (Math.imul(a, 0x01000193) + ids[i]) | 0;
    b = (Math.imul(b, 0x5bd1e995) + ids[i] + 0x9e3779b9) | 0;
  }
  return (a >>> 0) * 2 ** 21 + ((b >>> 0) & (2 ** 21 - 1));
}

/**
 * Every eval text's n-grams in one hash table, so a checked text costs one look-up per n-gram of
 * its own instead of one comparison per eval text. Hash hits are confirmed token by token, so a
 * collision can never make a match. Eval texts shorter than n use their whole length as the
 * n-gram (a checked text must contain the whole eval text); those shorter than `minTokens` are
 * matched exactly only, since a two-word text would turn up inside unrelated ones.
 */
export class NgramIndex {
  readonly options: NgramIndexOptions;
  private readonly vocabulary = new Map<string, number>();
  private readonly texts: EvalText[] = [];
  private readonly exact = new Map<string, number[]>();
  /** Per n-gram length: hash → postings (evalIndex * POSITION_RANGE + start). */
  private readonly tables = new Map<number, Map<number, number[]>>();
  /** Scratch per checked text: which eval texts were hit, and where. */
  private stamp: Int32Array;
  private hits: number[][];
  private serial = 0;

  constructor(evalTexts: readonly string[], options: NgramIndexOptions) {
    this.options = options;
    for (const [evalIndex, text] of evalTexts.entries()) {
      const tokens = tokenize(text);
      if (tokens.length >= POSITION_RANGE) throw new RangeError(`eval text ${evalIndex} has ${tokens.length} tokens; at most ${POSITION_RANGE - 1} are indexed`);
      const ids = Int32Array.from(tokens, (token) => {
        let id = this.vocabulary.get(token);
        if (id === undefined) this.vocabulary.set(token, (id = this.vocabulary.size));
        return id;
      });
      const n = tokens.length < options.minTokens ? 0 : Math.min(options.ngram, tokens.length);
      this.texts.push({ ids, n, numbers: tokens.flatMap((token, i) => (isNumberToken(token) ? [ids[i]] : [])) });
      const key = tokens.join(' ');
      const same = this.exact.get(key);
      if (same) same.push(evalIndex);
      else this.exact.set(key, [evalIndex]);
      if (n === 0) continue;
      let table = this.tables.get(n);
      if (!table) this.tables.set(n, (table = new Map()));
      for (let start = 0; start + n <= ids.length; start++) {
        const hash = windowHash(ids, start, n);
        const posting = evalIndex * POSITION_RANGE + start;
        const list = table.get(hash);
        if (list) list.push(posting);
        else table.set(hash, [posting]);
      }
    }
    this.stamp = new Int32Array(this.texts.length).fill(-1);
    this.hits = this.texts.map(() => []);
  }

  /** Eval texts matched exactly only (fewer than `minTokens` tokens). */
  exactOnly(): number[] {
    return this.texts.flatMap((t, i) => (t.n === 0 ? [i] : []));
  }

  /** The eval texts `text` contains, best first: exact copies, then near duplicates by score. */
  match(text: string): TextMatch[] {
    const tokens = tokenize(text);
    const matches: TextMatch[] = [];
    // A text with no token at all (punctuation only) is nobody's copy.
    const exact = new Set(tokens.length ? (this.exact.get(tokens.join(' ')) ?? []) : []);
    for (const evalIndex of exact) matches.push({ evalIndex, kind: 'exact', score: 1 });

    const ids = Int32Array.from(tokens, (token) => this.vocabulary.get(token) ?? -1);
    const serial = this.serial++;
    const touched: number[] = [];
    for (const [n, table] of this.tables) {
      // A window holding a token no eval text has cannot match: skip it without hashing.
      let lastUnknown = -1;
      let scanned = 0;
      for (let start = 0; start + n <= ids.length; start++) {
        for (; scanned < start + n; scanned++) if (ids[scanned] < 0) lastUnknown = scanned;
        if (lastUnknown >= start) continue;
        const list = table.get(windowHash(ids, start, n));
        if (!list) continue;
        for (const posting of list) {
          const evalIndex = Math.floor(posting / POSITION_RANGE);
          const at = posting - evalIndex * POSITION_RANGE;
          if (!this.sameWindow(this.texts[evalIndex].ids, at, ids, start, n)) continue;
          if (this.stamp[evalIndex] !== serial) {
            this.stamp[evalIndex] = serial;
            this.hits[evalIndex].length = 0;
            touched.push(evalIndex);
          }
          this.hits[evalIndex].push(at);
        }
      }
    }
    let numbersOfText: number[] | undefined;
    for (const evalIndex of touched) {
      if (exact.has(evalIndex)) continue;
      const { ids: evalIds, n, numbers } = this.texts[evalIndex];
      const starts = this.hits[evalIndex];
      // Fewer hits than the threshold needs, even if none overlapped: skip the exact count.
      if (starts.length * n < this.options.threshold * evalIds.length) continue;
      const score = coveredTokens(starts, n) / evalIds.length;
      if (score < this.options.threshold) continue;
      if (this.options.sameNumbers) {
        numbersOfText ??= tokens.flatMap((token, i) => (isNumberToken(token) ? [ids[i]] : []));
        if (!isSubsequence(numbers, numbersOfText)) continue;
      }
      matches.push({ evalIndex, kind: 'ngram', score, n });
    }
    return matches.sort((a, b) => (a.kind === b.kind ? b.score - a.score || a.evalIndex - b.evalIndex : a.kind === 'exact' ? -1 : 1));
  }

  private sameWindow(evalIds: Int32Array, at: number, ids: Int32Array, start: number, n: number): boolean {
    for (let i = 0; i < n; i++) if (evalIds[at + i] !== ids[start + i]) return false;
    return true;
  }
}

/** Whether `part` appears in `whole` in order, other items allowed between (3, 5 in 3, 4, 5). */
function isSubsequence(part: readonly number[], whole: readonly number[]): boolean {
  let next = 0;
  for (const item of whole) if (next < part.length && item === part[next]) next++;
  return next === part.length;
}

/** How many positions the windows [s, s + n) cover together. */
function coveredTokens(starts: number[], n: number): number {
  starts.sort((a, b) => a - b);
  let covered = 0;
  let end = -1;
  for (const start of starts) {
    const from = Math.max(start, end);
    const to = start + n;
    if (to > from) covered += to - from;
    end = Math.max(end, to);
  }
  return covered;
}
