import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../src/util/seeded-random.ts';
import { judgeMath } from '../../../verifiers/math/judge.ts';
import { MathOptions } from '../../../verifiers/math/options.ts';

const PIECES = [
  '\\frac', '\\sqrt', '\\boxed{', '{', '}', '(', ')', '[', ']', '\\{', '\\}', '\\left(', '\\right)', '$', '$$', '\\(', '\\)',
  '^', '_', '+', '-', '\\cdot', '/', '=', '<', '\\le', '\\pm', ',', ';', ':', '\\cup', '\\in', '\\infty', '\\pi', 'x', 'y',
  'e', 'i', '1', '2', '0', '3.5', '%', '\\%', '^\\circ', '\\text{cm}', 'and', ' ', '\\\\', '&', '\\begin{pmatrix}',
  '\\end{pmatrix}', '|', '!', "'", 'final answer is', 'answer:', '\\sin', '\\log_', '\\binom', '\\approx', '\n',
];

function randomText(random: () => number): string {
  const length = 1 + Math.floor(random() * 24);
  return Array.from({ length }, () => PIECES[Math.floor(random() * PIECES.length)]).join('');
}

/** Text that `\boxed{…}` returns unchanged: balanced braces, no delimiters or markers of its own. */
function boxesIntact(text: string): boolean {
  if (/\$|\\[()[\]]|\\boxed|answer|\\\\$/.test(text)) return false;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth < 0) return false;
  }
  return depth === 0;
}

describe('math verifier fuzzing', () => {
  it('returns a verdict for any input, quickly, without throwing', () => {
    const random = seededRandom(20_260_125);
    const options = MathOptions.parse({});
    for (let i = 0; i < 400; i++) {
      const gold = randomText(random);
      const candidate = randomText(random);
      const started = performance.now();
      const verdict = judgeMath(gold, candidate, options);
      expect(['correct', 'incorrect', 'unparseable', 'error']).toContain(verdict.status);
      expect(performance.now() - started).toBeLessThan(500);
    }
  });

  it('judges any answer equal to itself when it is boxed intact', () => {
    const random = seededRandom(7);
    const options = MathOptions.parse({});
    for (let i = 0; i < 2_000; i++) {
      const answer = randomText(random).replace(/\n/g, ' ');
      if (!boxesIntact(answer)) continue;
      const verdict = judgeMath(answer, `The answer is $\\boxed{${answer}}$`, options);
      if (verdict.status === 'incorrect') expect.fail(`${JSON.stringify(answer)} judged unequal to itself: ${verdict.reason}`);
    }
  });
});
