import { describe, expect, it } from 'vitest';
import { majorityAtK, type Ballot } from '../../src/metrics/majority.ts';
import { seededRandom } from '../../src/util/seeded-random.ts';

/** A ballot from one letter per sample: upper case a correct answer, lower case a wrong one, `-` no answer. */
function ballot(samples: string): Ballot {
  const groups = new Map<string, { answer: string; votes: number; correct: boolean }>();
  let silent = 0;
  for (const s of samples) {
    if (s === '-') silent++;
    else {
      const group = groups.get(s) ?? { answer: s, votes: 0, correct: s === s.toUpperCase() };
      group.votes++;
      groups.set(s, group);
    }
  }
  return { groups: [...groups.values()], silent };
}

/** maj@k by listing every k-subset: the definition, written the slow way. */
function majorityBySubsets(samples: string, k: number): number {
  const n = samples.length;
  let total = 0;
  let subsets = 0;
  const visit = (start: number, chosen: string[]) => {
    if (chosen.length === k) {
      subsets++;
      const votes = new Map<string, number>();
      for (const s of chosen) if (s !== '-') votes.set(s, (votes.get(s) ?? 0) + 1);
      const top = Math.max(0, ...votes.values());
      if (top === 0) return;
      const winners = [...votes].filter(([, v]) => v === top).map(([a]) => a);
      total += winners.filter((a) => a === a.toUpperCase()).length / winners.length;
      return;
    }
    for (let i = start; i < n; i++) visit(i + 1, [...chosen, samples[i]]);
  };
  visit(0, []);
  return total / subsets;
}

describe('majorityAtK', () => {
  it('matches hand counts over k-subsets', () => {
    // A A b, k=2: {A,A} wins, two {A,b} ties count ½ each → (1 + ½ + ½) / 3.
    expect(majorityAtK(ballot('AAb'), 2)).toBeCloseTo(2 / 3, 12);
    // k=1 is the chance of drawing a correct answer (pass@1 when every sample answers).
    expect(majorityAtK(ballot('AAb'), 1)).toBeCloseTo(2 / 3, 12);
    // A A b b b: k=2 → {A,A} 1 of 10, six {A,b} ties → (1 + 3) / 10.
    expect(majorityAtK(ballot('AAbbb'), 2)).toBeCloseTo(0.4, 12);
    // k=3 → A wins only with both A's and one b: 3 of 10 subsets.
    expect(majorityAtK(ballot('AAbbb'), 3)).toBeCloseTo(0.3, 12);
    // k=4 → three 2–2 ties (½ each) of 5 subsets.
    expect(majorityAtK(ballot('AAbbb'), 4)).toBeCloseTo(0.3, 12);
    // A b c and one silent sample, k=2: {A,b} ½, {A,c} ½, {A,-} 1, the other three 0 → 2/6.
    expect(majorityAtK(ballot('Abc-'), 2)).toBeCloseTo(1 / 3, 12);
  });

  it('votes over all samples when k is n or more', () => {
    expect(majorityAtK(ballot('AAbbb'), 5)).toBe(0);
    expect(majorityAtK(ballot('AAAbb'), 5)).toBe(1);
    expect(majorityAtK(ballot('AAbb'), 9)).toBe(0.5);
    // Two different correct answers tied with a wrong one: two of three winners are right.
    expect(majorityAtK(ballot('ABc'), 3)).toBeCloseTo(2 / 3, 12);
  });

  it('scores 0 when nobody answered or nothing was sampled', () => {
    expect(majorityAtK(ballot('---'), 2)).toBe(0);
    expect(majorityAtK(ballot(''), 4)).toBe(0);
  });

  it('agrees with listing every subset on random ballots', () => {
    const random = seededRandom(5);
    const letters = 'AaBbc-';
    for (let trial = 0; trial < 150; trial++) {
      const n = 1 + Math.floor(random() * 10);
      const samples = Array.from({ length: n }, () => letters[Math.floor(random() * letters.length)]).join('');
      for (let k = 1; k <= n; k++) expect(majorityAtK(ballot(samples), k)).toBeCloseTo(majorityBySubsets(samples, k), 10);
    }
  });

  it('stays finite and exact for thousands of samples', () => {
    // 1200 right, 800 wrong, k = 100: the right answer needs more than 50 of the 100 draws (or a
    // 50–50 tie, half). Summed here from the hypergeometric law in log space.
    const logChoose = (a: number, b: number) => {
      let sum = 0;
      for (let i = 1; i <= b; i++) sum += Math.log(a - b + i) - Math.log(i);
      return sum;
    };
    let expected = 0;
    for (let t = 50; t <= 100; t++) expected += (t === 50 ? 0.5 : 1) * Math.exp(logChoose(1200, t) + logChoose(800, 100 - t) - logChoose(2000, 100));
    const value = majorityAtK({ groups: [{ answer: 'A', votes: 1200, correct: true }, { answer: 'b', votes: 800, correct: false }], silent: 0 }, 100);
    expect(value).toBeCloseTo(expected, 9);
    expect(value).toBeGreaterThan(0.97);
  });

  it('rejects a k that is not a whole number of samples', () => {
    expect(() => majorityAtK(ballot('A'), 0)).toThrow(RangeError);
    expect(() => majorityAtK(ballot('A'), 1.5)).toThrow(RangeError);
  });
});
