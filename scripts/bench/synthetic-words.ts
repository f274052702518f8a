import { seededRandom } from '../../src/util/seeded-random.ts';

/**
 * Reproducible made-up words for text benchmarks: a 5,000-word vocabulary of syllables, drawn with
 * Zipf weights (the word of rank r with weight 1 / r), as natural text is.
 */
export function syntheticWords(seed: number) {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
  const syllables = ['ka', 'lo', 'mi', 'ren', 'sa', 'tu', 'vel', 'dor', 'an', 'is', 'por', 'qui', 'ne', 'bar', 'zu', 'fen'];
  const word = () => Array.from({ length: 2 + Math.floor(random() * 2) }, () => pick(syllables)).join('');
  const vocabulary = Array.from({ length: 5000 }, word);
  const cumulative: number[] = [];
  vocabulary.reduce((sum, _, r) => (cumulative.push(sum + 1 / (r + 1)), sum + 1 / (r + 1)), 0);
  const zipfWord = () => {
    const target = random() * cumulative[cumulative.length - 1];
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (cumulative[mid] < target) low = mid + 1;
      else high = mid;
    }
    return vocabulary[low];
  };
  const number = () => String(1 + Math.floor(random() * 200));
  return { random, pick, word, zipfWord, number };
}
