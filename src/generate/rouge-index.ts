import { lcsLength, rougeTokens } from './rouge.ts';

/** Buckets of the upper bounds `nearest` orders its candidates by. */
const BUCKETS = 1024;

/** Why a text was refused, or that it was not. */
export type RougeCheck =
  | { accepted: true; /** The highest ROUGE-L F1 computed; every pool problem not computed is bounded below the threshold. */ bestChecked: number; compared: number }
  | { accepted: false; /** Pool position of a problem at or above the threshold, and its ROUGE-L F1. */ match: number; score: number; compared: number };

/**
 * The pool a new problem must differ from: ROUGE-L F1 below `threshold` against every problem in
 * it, decided without comparing against all of them.
 *
 * Why the pruning is exact: LCS(a, b) is at most the multiset overlap of a and b, so F1 ≥ t needs
 * overlap ≥ t(|a|+|b|)/2, which (with overlap ≤ |b|) forces |b| ≥ t|a|/(2−t) and overlap ≥
 * α = ⌈t|a|/(2−t)⌉. If none of any |a|−α+1 of a's tokens occurs in b, the overlap is below α; so
 * only problems holding one of a's |a|−α+1 rarest words (an inverted index lookup) can reach
 * the threshold. For those, the postings give the overlap with that prefix (at most the prefix's
 * count of each shared word) plus the rest of a as an upper bound on the overlap; a length
 * window, that bound and then the exact overlap must allow t before the LCS is computed.
 */
export class RougePool {
  private readonly ids = new Map<string, number>();
  /** Token ids of each pool problem, by position. */
  private readonly texts: Int32Array[] = [];
  /** Token id → pool positions of the problems containing it, ascending. */
  private readonly postings: number[][] = [];
  private shared = new Int32Array(0);

  constructor(readonly threshold: number) {
    if (!(threshold > 0 && threshold <= 1)) throw new RangeError(`ROUGE-L threshold must be in (0, 1], got ${threshold}`);
  }

  get size(): number {
    return this.texts.length;
  }

  /** Adds a problem to the pool, whatever its similarity; returns its position. */
  add(text: string): number {
    const tokens = this.encode(rougeTokens(text), true);
    const position = this.texts.length;
    this.texts.push(tokens);
    for (const id of new Set(tokens)) this.postings[id].push(position);
    return position;
  }

  /** Whether `text` is below the threshold against every problem in the pool (it is not added). */
  check(text: string): RougeCheck {
    const tokens = this.encode(rougeTokens(text), false);
    const t = this.threshold;
    const m = tokens.length;
    if (m === 0) return { accepted: true, bestChecked: 0, compared: 0 };
    const alpha = Math.ceil((t * m) / (2 - t) - 1e-9);
    const minLength = (t * m) / (2 - t) - 1e-9;
    const maxLength = (m * (2 - t)) / t + 1e-9;
    // Rarest first, a word's occurrences together; unknown words (id −1) occur in no pool problem.
    const byRarity = [...tokens].sort((a, b) => this.frequency(a) - this.frequency(b) || a - b);
    const prefixLength = m - alpha + 1;
    const suffixLength = m - prefixLength;
    // Each pool problem's overlap with the prefix, bounded by the prefix's own count of each word.
    const shared = this.sharedCounts();
    const touched: number[] = [];
    for (let i = 0; i < prefixLength; ) {
      const id = byRarity[i];
      let count = 0;
      while (i < prefixLength && byRarity[i] === id) {
        count++;
        i++;
      }
      if (id < 0) continue;
      for (const position of this.postings[id]) {
        if (shared[position] === 0) touched.push(position);
        shared[position] += count;
      }
    }
    const counts = countTokens(tokens);
    let bestChecked = 0;
    let compared = 0;
    let refusal: RougeCheck | undefined;
    for (const position of touched) {
      const bound = shared[position] + suffixLength;
      shared[position] = 0;
      if (refusal) continue;
      const other = this.texts[position];
      const n = other.length;
      if (n < minLength || n > maxLength) continue;
      if (2 * bound < t * (m + n) - 1e-9) continue;
      if (2 * overlap(counts, other) < t * (m + n) - 1e-9) continue;
      compared++;
      const score = (2 * lcsLength(tokens, other)) / (m + n);
      if (score >= t) refusal = { accepted: false, match: position, score, compared };
      else bestChecked = Math.max(bestChecked, score);
    }
    return refusal ?? { accepted: true, bestChecked, compared };
  }

  /**
   * The pool problem with the highest ROUGE-L F1 with `text`, exactly (the first of equals), for
   * provenance. Only problems sharing a word can score above 0; the postings give each one an upper
   * bound on the overlap (for each shared word, its count in `text`), so F1 ≤ 2·min(bound, |b|) /
   * (|a| + |b|); problems are compared in decreasing order of that bound, and the search stops
   * once the bound is below the best score found.
   */
  nearest(text: string): { position: number; score: number } | undefined {
    const tokens = this.encode(rougeTokens(text), false);
    const m = tokens.length;
    const counts = countTokens(tokens);
    const shared = this.sharedCounts();
    const touched: number[] = [];
    for (const [id, count] of counts) {
      if (id < 0) continue;
      for (const position of this.postings[id]) {
        if (shared[position] === 0) touched.push(position);
        shared[position] += count;
      }
    }
    const bounds = new Float64Array(touched.length);
    touched.forEach((position, i) => {
      const n = this.texts[position].length;
      bounds[i] = (2 * Math.min(shared[position], n)) / (m + n);
      shared[position] = 0;
    });
    // Highest bounds first, by a counting sort into buckets of width 1/BUCKETS (no full sort of a large pool).
    const bucketOf = (bound: number) => Math.min(BUCKETS - 1, Math.floor(bound * BUCKETS));
    const starts = new Int32Array(BUCKETS + 1);
    for (const bound of bounds) starts[bucketOf(bound) + 1]++;
    for (let b = 0; b < BUCKETS; b++) starts[b + 1] += starts[b];
    const filled = starts.slice(0, BUCKETS);
    const order = new Int32Array(touched.length);
    bounds.forEach((bound, i) => (order[filled[bucketOf(bound)]++] = i));
    let best: { position: number; score: number } | undefined;
    for (let b = BUCKETS - 1; b >= 0; b--) {
      // Every bound in this bucket and below is under (b + 1) / BUCKETS.
      if (best && (b + 1) / BUCKETS <= best.score) break;
      for (let k = starts[b]; k < starts[b + 1]; k++) {
        const i = order[k];
        if (best && bounds[i] < best.score) continue;
        const position = touched[i];
        const other = this.texts[position];
        const score = (2 * lcsLength(tokens, other)) / (m + other.length);
        if (!best || score > best.score || (score === best.score && position < best.position)) best = { position, score };
      }
    }
    return best && best.score > 0 ? best : undefined;
  }

  /** A zeroed counter per pool problem, reused across checks (each check zeroes what it touched). */
  private sharedCounts(): Int32Array {
    if (this.shared.length < this.texts.length) this.shared = new Int32Array(Math.max(1024, this.texts.length * 2));
    return this.shared;
  }

  private frequency(id: number): number {
    return id < 0 ? -1 : this.postings[id].length;
  }

  private encode(tokens: readonly string[], intern: boolean): Int32Array {
    const out = new Int32Array(tokens.length);
    tokens.forEach((token, i) => {
      let id = this.ids.get(token);
      if (id === undefined && intern) {
        id = this.postings.length;
        this.ids.set(token, id);
        this.postings.push([]);
      }
      out[i] = id ?? -1;
    });
    return out;
  }
}

function countTokens(tokens: Int32Array): Map<number, number> {
  const counts = new Map<number, number>();
  for (const id of tokens) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
}

/** Size of the multiset intersection of `counts` and `tokens`. */
function overlap(counts: ReadonlyMap<number, number>, tokens: Int32Array): number {
  const used = new Map<number, number>();
  let shared = 0;
  for (const id of tokens) {
    const have = counts.get(id);
    if (have === undefined) continue;
    const taken = used.get(id) ?? 0;
    if (taken < have) {
      used.set(id, taken + 1);
      shared++;
    }
  }
  return shared;
}
