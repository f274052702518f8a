/**
 * ROUGE-L F1 between two problem texts, as Self-Instruct filters near-duplicates (Wang et al. 2022,
 * with `rouge_score` and no stemming): lower-cased alphanumeric words, longest common
 * subsequence, F1 = 2·LCS / (|a| + |b|).
 */

const WORD = /[a-z0-9]+/g;

/** The words ROUGE-L compares: lower-cased runs of ASCII letters and digits. */
export function rougeTokens(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

/** Length of the longest common subsequence of two id sequences, in O(|a|·|b|) time and O(|b|) memory. */
export function lcsLength(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length === 0 || b.length === 0) return 0;
  let previous = new Int32Array(b.length + 1);
  let current = new Int32Array(b.length + 1);
  for (let i = 0; i < a.length; i++) {
    const token = a[i];
    for (let j = 0; j < b.length; j++) {
      current[j + 1] = token === b[j] ? previous[j] + 1 : Math.max(previous[j + 1], current[j]);
    }
    [previous, current] = [current, previous];
  }
  return previous[b.length];
}

/** ROUGE-L F1 of two token-id sequences; 0 when either is empty. */
export function rougeLF1(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length === 0 || b.length === 0) return 0;
  return (2 * lcsLength(a, b)) / (a.length + b.length);
}
