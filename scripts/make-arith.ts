/**
 * Writes the problem files of the default run: problems/arith/train.jsonl (the STaR rounds'
 * problems, 4 and 5 digits) and problems/arith/eval.jsonl (held out, 4 and 5 digits, each
 * tagged with meta.group). Deterministic: the same seed writes the same bytes.
 * Run: npm run make:arith [-- --train-per-length 150 --eval-per-length 200 --seed 2024]
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { randomArithProblem, type ArithProblem } from '../src/embedded/arith.ts';
import { deriveSeed, Rng } from '../src/embedded/rng.ts';

const { values } = parseArgs({
  options: {
    'train-per-length': { type: 'string', default: '150' },
    'eval-per-length': { type: 'string', default: '200' },
    seed: { type: 'string', default: '2024' },
  },
});
const trainPerLength = Number(values['train-per-length']);
const evalPerLength = Number(values['eval-per-length']);
const seed = Number(values.seed);
const LENGTHS = [4, 5];

const outDir = fileURLToPath(new URL('../problems/arith/', import.meta.url));
const seen = new Set<string>();

function draw(split: 'train' | 'eval', digits: number, count: number): string[] {
  const rng = new Rng(deriveSeed(seed, split, digits));
  const lines: string[] = [];
  while (lines.length < count) {
    const problem: ArithProblem = randomArithProblem(rng, digits);
    // Train and eval never share a problem.
    if (seen.has(problem.prompt)) continue;
    seen.add(problem.prompt);
    const n = String(lines.length + 1).padStart(3, '0');
    lines.push(
      JSON.stringify({
        id: `add${digits}-${split}-${n}`,
        prompt: problem.prompt,
        answer: problem.answer,
        split,
        meta: { group: `${digits}-digit`, digits, a: problem.a, b: problem.b, sum: problem.a + problem.b, notation: 'reversed' },
      }),
    );
  }
  return lines;
}

await mkdir(outDir, { recursive: true });
const evalLines = LENGTHS.flatMap((d) => draw('eval', d, evalPerLength));
const trainLines = LENGTHS.flatMap((d) => draw('train', d, trainPerLength));
await writeFile(`${outDir}eval.jsonl`, evalLines.join('\n') + '\n');
await writeFile(`${outDir}train.jsonl`, trainLines.join('\n') + '\n');
console.log(`wrote ${trainLines.length} train and ${evalLines.length} eval problems to ${outDir}`);
