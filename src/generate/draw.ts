import { seededRandom } from '../util/seeded-random.ts';

export interface ExampleDraw<T> {
  /** The examples in the order the writer sees them. */
  examples: T[];
  seeds: T[];
}

function sampleWithout<T>(items: readonly T[], count: number, random: () => number): T[] {
  const copy = [...items];
  for (let i = 0; i < Math.min(count, copy.length); i++) {
    const j = i + Math.floor(random() * (copy.length - i));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy.slice(0, Math.min(count, copy.length));
}

/**
 * The few-shot examples of writing request `request`, as Self-Instruct draws them: `seedCount`
 * seeds and `generatedCount` problems generated earlier (seeds fill in while fewer exist), in a
 * shuffled order. The same seed, request and pool give the same draw, so a rerun asks the same.
 */
export function drawExamples<T>(seeds: readonly T[], generated: readonly T[], seedCount: number, generatedCount: number, seed: number, request: number): ExampleDraw<T> {
  const random = seededRandom((Math.imul(seed, 0x9e3779b1) ^ request) >>> 0);
  const fromGenerated = sampleWithout(generated, generatedCount, random);
  const fromSeeds = sampleWithout(seeds, seedCount + generatedCount - fromGenerated.length, random);
  return { examples: sampleWithout([...fromSeeds, ...fromGenerated], fromSeeds.length + fromGenerated.length, random), seeds: fromSeeds };
}
