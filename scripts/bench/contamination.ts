/**
 * Contamination guard throughput: every train problem checked against every eval problem through
 * the n-gram index, against the naive all-pairs comparison (the same measure, pair by pair, with
 * each text's tokens and n-grams computed once) timed on a subsample of the train problems in the
 * same run and scaled to all pairs. The two must flag the same problems on the subsample.
 *   npm run bench:contamination [-- --train 100000 --eval 10000 --sample 100]
 *
 * Problems are synthetic word problems: half from 400 templates (names, items and numbers change,
 * most words are shared, as in GSM8K-style generated sets: the index's worst case, since n-grams
 * repeat across thousands of problems), half free text over a 5,000-word vocabulary with a Zipf
 * distribution. 1% of train problems are planted copies of eval problems: verbatim under another
 * id, with two words changed, or inside a longer text.
 */
import { parseArgs } from 'node:util';
import { ContaminationOptions, findContaminatedProblems } from '../../src/problems/contamination/guard.ts';
import { isNumberToken, tokenize } from '../../src/problems/contamination/tokens.ts';
import type { Problem } from '../../src/schema/problem.ts';
import { syntheticWords } from './synthetic-words.ts';

const { values } = parseArgs({ options: { train: { type: 'string', default: '100000' }, eval: { type: 'string', default: '10000' }, sample: { type: 'string', default: '100' } } });
const whole = (name: string, text: string) => {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive whole number, got ${text}`);
  return n;
};
const trainCount = whole('train', values.train);
const evalCount = whole('eval', values.eval);
const sampleCount = Math.min(trainCount, whole('sample', values.sample));

const { random, pick, word, zipfWord, number } = syntheticWords(2021);
const names = Array.from({ length: 60 }, () => word().replace(/^./, (c) => c.toUpperCase()));
// Every template asks about at least two numbers, as word problems do.
const templates = Array.from({ length: 400 }, () => {
  const slots = Array.from({ length: 20 + Math.floor(random() * 30) }, () => (random() < 0.15 ? pick(['{name}', '{number}', '{item}']) : zipfWord()));
  for (let i = 0; i < 2; i++) slots[Math.floor(random() * slots.length)] = '{number}';
  return slots;
});
const fromTemplate = () => {
  const name = pick(names);
  return `${pick(templates).map((slot) => (slot === '{name}' ? name : slot === '{number}' ? number() : slot === '{item}' ? zipfWord() : slot)).join(' ')}?`;
};
const freeText = () => `${Array.from({ length: 15 + Math.floor(random() * 45) }, () => (random() < 0.08 ? number() : zipfWord())).join(' ')}.`;
const problemText = () => (random() < 0.5 ? fromTemplate() : freeText());

const evalProblems: Problem[] = Array.from({ length: evalCount }, (_, i) => ({ id: `eval-${i}`, prompt: problemText(), meta: {} }));
const plant = (source: string) => {
  const tokens = source.split(' ');
  switch (Math.floor(random() * 3)) {
    case 0: return source.toUpperCase();
    case 1: {
      for (let c = 0; c < 2; c++) {
        const at = Math.floor(random() * tokens.length);
        if (!/\d/.test(tokens[at])) tokens[at] = zipfWord();
      }
      return tokens.join(' ');
    }
    default: return `${freeText()} ${source} ${freeText()}`;
  }
};
let plantedCount = 0;
const trainProblems: Problem[] = Array.from({ length: trainCount }, (_, i) => ({
  id: `train-${i}`,
  prompt: random() < 0.01 ? (plantedCount++, plant(pick(evalProblems).prompt as string)) : problemText(),
  meta: {},
}));

const options = ContaminationOptions.parse({});
const seconds = (started: number) => (performance.now() - started) / 1000;
// CPU time beside wall time: other processes share the cores, and CPU time says what this one used.
const cpuSeconds = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
};

let started = performance.now();
let cpu = process.cpuUsage();
const indexed = findContaminatedProblems(trainProblems, evalProblems, options);
const indexedSeconds = seconds(started);
const indexedCpu = cpuSeconds(cpu);

/** The same measure, pair by pair (what the index must agree with). */
function naiveAllPairs(train: readonly Problem[]): Set<string> {
  const prepared = evalProblems.map((p) => {
    const tokens = tokenize(p.prompt as string);
    const n = tokens.length < options.minTokens ? 0 : Math.min(options.ngram, tokens.length);
    const grams: string[] = [];
    for (let s = 0; n && s + n <= tokens.length; s++) grams.push(tokens.slice(s, s + n).join(' '));
    return { tokens, key: tokens.join(' '), n, grams, numbers: tokens.filter(isNumberToken) };
  });
  const flagged = new Set<string>();
  for (const problem of train) {
    const tokens = tokenize(problem.prompt as string);
    const key = tokens.join(' ');
    const numbers = tokens.filter(isNumberToken);
    const gramsOf = new Map<number, Set<string>>();
    for (const e of prepared) {
      if (tokens.length && key === e.key) {
        flagged.add(problem.id);
        continue;
      }
      if (!e.n) continue;
      let grams = gramsOf.get(e.n);
      if (!grams) {
        grams = new Set();
        for (let s = 0; s + e.n <= tokens.length; s++) grams.add(tokens.slice(s, s + e.n).join(' '));
        gramsOf.set(e.n, grams);
      }
      const covered = new Uint8Array(e.tokens.length);
      e.grams.forEach((gram, s) => {
        if (grams.has(gram)) covered.fill(1, s, s + e.n);
      });
      if (covered.reduce((a, b) => a + b, 0) / e.tokens.length < options.threshold) continue;
      let next = 0;
      for (const t of numbers) if (next < e.numbers.length && t === e.numbers[next]) next++;
      if (next === e.numbers.length) flagged.add(problem.id);
    }
  }
  return flagged;
}

const sample = trainProblems.slice(0, sampleCount);
started = performance.now();
cpu = process.cpuUsage();
const naiveFlagged = naiveAllPairs(sample);
const naiveSampleSeconds = seconds(started);
const naiveSampleCpu = cpuSeconds(cpu);
const naiveFullSeconds = (naiveSampleSeconds * trainCount) / sampleCount;

const sampleIds = new Set(sample.map((p) => p.id));
const indexedOnSample = new Set(indexed.contaminated.map((c) => c.key).filter((id) => sampleIds.has(id)));
const agree = indexedOnSample.size === naiveFlagged.size && [...naiveFlagged].every((id) => indexedOnSample.has(id));

const pairs = (n: number) => (n * evalCount).toLocaleString('en-US');
console.log(`contamination guard: ${trainCount.toLocaleString('en-US')} train × ${evalCount.toLocaleString('en-US')} eval problems, ${options.ngram}-grams, threshold ${options.threshold} (node ${process.version})`);
const line = (label: string, value: string) => console.log(`  ${label.padEnd(58)}${value}`);
line('n-gram index, build + check every train problem', `${indexedSeconds.toFixed(2)} s wall, ${indexedCpu.toFixed(2)} s CPU, ${indexed.contaminated.length} flagged (${plantedCount} planted)`);
line(`naive all-pairs, ${sampleCount} train problems (${pairs(sampleCount)} pairs)`, `${naiveSampleSeconds.toFixed(2)} s wall, ${naiveSampleCpu.toFixed(2)} s CPU`);
line(`naive all-pairs scaled to ${pairs(trainCount)} pairs`, `${naiveFullSeconds.toFixed(0)} s wall (estimate)`);
line('speed-up of the index over naive all-pairs', `${(naiveFullSeconds / indexedSeconds).toFixed(0)}× wall, ${((naiveSampleCpu * trainCount) / sampleCount / indexedCpu).toFixed(0)}× CPU`);
line('same problems flagged on the subsample', `${agree ? 'yes' : 'NO'} (${naiveFlagged.size} of ${sampleCount})`);
if (!agree) process.exitCode = 1;
