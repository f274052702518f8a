/**
 * Throughput of the `math` verifier on a mixed set of cases written here, against a baseline in
 * the same run: the last `\boxed{}` compared as a whitespace-stripped string.
 *
 *   npm run bench:math [-- --seconds 3]
 */
import { clearExpressionCache } from '../../verifiers/math/expr.ts';
import { judgeMath } from '../../verifiers/math/judge.ts';
import { MathOptions } from '../../verifiers/math/options.ts';

const secondsArgument = process.argv.indexOf('--seconds');
const seconds = secondsArgument === -1 ? 3 : Number(process.argv[secondsArgument + 1]);

interface BenchCase {
  gold: string;
  candidate: string;
}

const filler = 'We first expand the product and collect like terms, then check the boundary cases. ';

/** Answers as they appear in solutions: numbers, fractions, radicals, formulas, sets, intervals, relations, matrices. */
const answers: [string, string][] = [
  ['42', '42'],
  ['\\frac{14}{3}', '\\dfrac{14}{3}'],
  ['0.75', '\\frac34'],
  ['3\\sqrt{13}', '\\sqrt{117}'],
  ['x^2 + 2x + 1', '(x+1)^2'],
  ['\\frac{\\pi r}{h+r}', '\\frac{r\\pi}{r+h}'],
  ['[-2, 7]', '-2 \\le x \\le 7'],
  ['(-\\infty, -3] \\cup [2, \\infty)', '(-\\infty,-3]\\cup[2,\\infty)'],
  ['\\{1, -2\\}', '-2, 1'],
  ['(6, 31, -1)', '(6,31,-1)'],
  ['x - 2y + z = 1', '-x + 2y - z + 1 = 0'],
  ['28\\%', '0.28'],
  ['90^\\circ', '90'],
  ['\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}', '\\begin{bmatrix}1&2\\\\3&4\\end{bmatrix}'],
  ['1 \\pm \\sqrt{19}', '1+\\sqrt{19}, 1-\\sqrt{19}'],
  ['\\text{Evelyn}', 'Evelyn'],
  ['17', '18'],
  ['\\frac{1}{3}', '0.33'],
];

function buildCases(): BenchCase[] {
  const cases: BenchCase[] = [];
  answers.forEach(([gold, answer], index) => {
    cases.push({ gold, candidate: `${filler.repeat(1 + (index % 4))}Therefore the answer is $\\boxed{${answer}}$.` });
    cases.push({ gold, candidate: `${filler.repeat(2)}Final Answer: The final answer is $${answer}$. I hope it is correct.` });
  });
  return cases;
}

function lastBoxed(text: string): string | undefined {
  const start = text.lastIndexOf('\\boxed{');
  if (start === -1) return undefined;
  let depth = 0;
  for (let i = start + 6; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return text.slice(start + 7, i);
  }
  return undefined;
}

function baseline(gold: string, candidate: string): boolean {
  const boxed = lastBoxed(candidate);
  return boxed !== undefined && boxed.replace(/\s+/g, '') === gold.replace(/\s+/g, '');
}

function measure(label: string, cases: BenchCase[], run: (item: BenchCase) => unknown): number {
  let count = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  while (performance.now() < deadline) {
    for (const item of cases) run(item);
    count += cases.length;
  }
  const rate = count / ((performance.now() - started) / 1000);
  console.log(`  ${label.padEnd(42)} ${Math.round(rate).toLocaleString('en-US').padStart(12)} verdicts/s`);
  return rate;
}

const cases = buildCases();
const options = MathOptions.parse({});
let correct = 0;
for (const item of cases) if (judgeMath(item.gold, item.candidate, options).status === 'correct') correct++;
console.log(`bench:math: ${cases.length} mixed cases (${correct} judged correct by the verifier), ${seconds} s per measurement, node ${process.version}`);
const baselineRate = measure('baseline (last \\boxed{}, string equality)', cases, (item) => baseline(item.gold, item.candidate));
// Cold: every verdict parses its expressions from scratch. Warm: golds and recurring answers come
// from the expression cache, as they do when k samples of one problem are judged.
const coldRate = measure('math verifier, cold expression cache', cases, (item) => {
  clearExpressionCache();
  judgeMath(item.gold, item.candidate, options);
});
const warmRate = measure('math verifier, warm expression cache', cases, (item) => judgeMath(item.gold, item.candidate, options));
for (const [label, rate] of [['cold', coldRate], ['warm', warmRate]] as const) {
  console.log(`  ratio (${label}): ${(rate / baselineRate).toExponential(2)} of the baseline's rate (${(baselineRate / rate).toFixed(0)}× slower)`);
}
