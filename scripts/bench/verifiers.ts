/**
 * Verdicts per second of the answer-checking verifiers through `runVerifier` (options parsed once,
 * time limit armed per call, as in a run), on generated GSM8K-like and short-answer cases. A
 * baseline measured in the same run — a bare `===` on the last line of each candidate, and
 * `runVerifier` around a verifier that does nothing — shows what the checking itself costs.
 *
 *   npm run bench:verifiers [-- --cases 20000]
 */
import { z } from 'zod';
import type { Problem } from '../../src/schema/problem.ts';
import { defineVerifier, type AnyVerifier } from '../../src/verify/define.ts';
import { parseVerifierOptions, runVerifier } from '../../src/verify/run.ts';
import { exactMatch } from '../../verifiers/exact-match/index.ts';
import { math } from '../../verifiers/math/index.ts';
import { numeric } from '../../verifiers/numeric/index.ts';
import { seededRandom } from '../../src/util/seeded-random.ts';

const casesArg = process.argv.indexOf('--cases');
const CASES = casesArg > 0 ? Number(process.argv[casesArg + 1]) : 20_000;
if (!Number.isInteger(CASES) || CASES <= 0) throw new Error('--cases must be a positive integer');


interface BenchCase {
  problem: Problem;
  candidate: string;
}

function arithmeticCases(count: number): BenchCase[] {
  const next = seededRandom(7);
  const int = (max: number) => Math.floor(next() * max);
  return Array.from({ length: count }, (_, i) => {
    const a = int(900) + 10;
    const b = int(90) + 2;
    const gold = a * b;
    const answer = next() < 0.6 ? gold : gold + int(20) + 1;
    const steps = Array.from({ length: int(5) + 1 }, (_, s) => `Step ${s + 1}: ${a} + ${s} = <<${a}+${s}=${a + s}>>${a + s} apples cost $${(a * 1.5).toFixed(2)}.`);
    const ending = [`#### ${answer.toLocaleString('en-US')}`, `The answer is ${answer}.`, `A: ${answer}`, `\\boxed{${answer}}`, `So she has ${answer} left.`][i % 5];
    return { problem: { id: `n${i}`, prompt: `What is ${a} * ${b}?`, answer: String(gold), meta: {} }, candidate: `${steps.join('\n')}\n${ending}` };
  });
}

function shortAnswerCases(count: number): BenchCase[] {
  const next = seededRandom(11);
  const words = ['Paris', 'the Nile', 'Mount Everest', 'photosynthesis', 'Ada Lovelace', 'mitochondria', 'Jupiter', 'the Pacific Ocean'];
  return Array.from({ length: count }, (_, i) => {
    const gold = words[Math.floor(next() * words.length)];
    const said = next() < 0.6 ? gold : words[Math.floor(next() * words.length)];
    const candidate = i % 2 ? `Let me recall.\nThe answer is ${said.toUpperCase()}.` : `  ${said} `;
    return { problem: { id: `e${i}`, prompt: 'Name it.', answer: gold, meta: {} }, candidate };
  });
}

function mathCases(count: number): BenchCase[] {
  const forms: [string, string][] = [
    ['\\frac{1}{2}', 'So the answer is $\\boxed{\\frac{1}{2}}$.'],
    ['\\frac{1}{2}', 'Thus \\boxed{0.5}'],
    ['2\\sqrt{3}', 'We get \\boxed{\\sqrt{12}}'],
    ['x^2+2x+1', 'Expanding, \\boxed{(x+1)^2}'],
    ['(1, 2)', 'The point is \\boxed{(1,2)}'],
    ['\\pi/4', 'The angle is \\boxed{\\frac{\\pi}{4}}'],
  ];
  return Array.from({ length: count }, (_, i) => {
    const [gold, candidate] = forms[i % forms.length];
    return { problem: { id: `m${i}`, prompt: 'Solve.', answer: gold, meta: {} }, candidate };
  });
}

async function measure(verifier: AnyVerifier, cases: BenchCase[]): Promise<{ perSecond: number; correct: number }> {
  const options = parseVerifierOptions(verifier, {});
  let correct = 0;
  const started = performance.now();
  for (const { problem, candidate } of cases) {
    if ((await runVerifier(verifier, problem, candidate, options)).status === 'correct') correct++;
  }
  return { perSecond: cases.length / ((performance.now() - started) / 1000), correct };
}

function bareComparison(cases: BenchCase[]): number {
  let equal = 0;
  const started = performance.now();
  for (const { problem, candidate } of cases) {
    const lastLine = candidate.slice(candidate.lastIndexOf('\n') + 1).trim();
    if (lastLine === problem.answer) equal++;
  }
  const seconds = (performance.now() - started) / 1000;
  // Keeps the loop from being optimized away.
  if (equal < 0) console.log(equal);
  return cases.length / Math.max(seconds, 1e-9);
}

const doNothing = defineVerifier({
  id: 'noop',
  description: 'returns at once; measures runVerifier overhead',
  version: '0',
  options: z.object({}),
  verify: () => ({ status: 'incorrect', reason: 'noop' }),
});

const format = (n: number) => Math.round(n).toLocaleString('en-US').padStart(12);
const arithmetic = arithmeticCases(CASES);
const shortAnswers = shortAnswerCases(CASES);
console.log(`node ${process.version}, ${CASES} generated cases per verifier, sequential, one process`);

const baselineBare = bareComparison(arithmetic);
const baselineRunner = (await measure(doNothing, arithmetic)).perSecond;
console.log(`baseline  bare === on last line      ${format(baselineBare)} /s`);
console.log(`baseline  runVerifier(no-op)         ${format(baselineRunner)} /s`);

const rows: [string, AnyVerifier, BenchCase[]][] = [
  ['numeric', numeric, arithmetic],
  ['exact-match', exactMatch, shortAnswers],
  ['math', math, mathCases(Math.min(CASES, 3_000))],
];

for (const [name, verifier, cases] of rows) {
  const { perSecond, correct } = await measure(verifier, cases);
  console.log(
    `${name.padEnd(12)} ${format(perSecond)} verdicts/s  (${correct}/${cases.length} correct; ` +
      `${(baselineBare / perSecond).toFixed(0)}× slower than bare ===, ${(baselineRunner / perSecond).toFixed(1)}× the runVerifier no-op)`,
  );
}
