/** Levenshtein distance, for "did you mean" suggestions on unknown names. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}

/**
 * The known names close to `name`, nearest first; empty when nothing is close. Names much further
 * than the nearest are left out: `sampling.kk` suggests `sampling.k`, not also `sampling.maxK`.
 */
export function suggest(name: string, known: Iterable<string>, max = 3): string[] {
  const limit = Math.max(2, Math.floor(name.length / 3));
  const close = [...known]
    .map((candidate) => ({ candidate, distance: editDistance(name.toLowerCase(), candidate.toLowerCase()) }))
    // A name inside another counts only when both are words: every key contains the one-letter key `n`.
    .filter(({ candidate, distance }) => distance <= limit || (Math.min(candidate.length, name.length) >= 3 && (candidate.includes(name) || name.includes(candidate))))
    .sort((x, y) => x.distance - y.distance);
  const nearest = close[0]?.distance ?? 0;
  return close
    .filter(({ distance }, i) => i === 0 || distance <= nearest + 1)
    .slice(0, max)
    .map(({ candidate }) => candidate);
}

export function didYouMean(name: string, known: Iterable<string>): string {
  const near = suggest(name, known);
  return near.length ? ` Did you mean ${near.map((n) => `'${n}'`).join(' or ')}?` : '';
}
