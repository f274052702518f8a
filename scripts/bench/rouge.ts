/**
 * The ROUGE-L novelty filter of Self-Instruct at pool scale: a pool grown to N problems, each
 * candidate checked against every problem already kept (ROUGE-L F1 < threshold) through the
 * inverted-index pruning of RougePool, against naive all-pairs (the LCS with every kept problem,
 * on the same token ids) timed on a sample of candidates checked against the full pool in the same
 * run and scaled to the N(N−1)/2 comparisons the kept candidates alone need (a lower bound: refused
 * candidates add more). Both must decide the sample alike.
 *   npm run bench:rouge -- [--sizes 10000,50000] [--sample 20] [--threshold 0.7]
 *
 * Candidates are synthetic word problems: half from 400 templates (names, items and numbers
 * change, most words are shared: many near-duplicates, the filter's worst case), half free text
 * over a 5,000-word vocabulary with a Zipf distribution.
 */
import { parseArgs } from 'node:util';
import { lcsLength, rougeTokens } from '../../src/generate/rouge.ts';
import { RougePool } from '../../src/generate/rouge-index.ts';
import { syntheticWords } from './synthetic-words.ts';

const { values } = parseArgs({ options: { sizes: { type: 'string', default: '10000,50000' }, sample: { type: 'string', default: '20' }, threshold: { type: 'string', default: '0.7' } } });
const sizes = values.sizes.split(',').map(Number);
const sampleCount = Number(values.sample);
const threshold = Number(values.threshold);
if (sizes.some((n) => !Number.isInteger(n) || n <= 0) || !Number.isInteger(sampleCount) || sampleCount <= 0) throw new Error('--sizes and --sample take positive whole numbers');

const { random, pick, word, zipfWord, number } = syntheticWords(2022);
const names = Array.from({ length: 60 }, word);
const templates = Array.from({ length: 400 }, () => Array.from({ length: 20 + Math.floor(random() * 30) }, () => (random() < 0.15 ? pick(['{name}', '{number}', '{item}']) : zipfWord())));
const fromTemplate = () => {
  const name = pick(names);
  return `${pick(templates).map((slot) => (slot === '{name}' ? name : slot === '{number}' ? number() : slot === '{item}' ? zipfWord() : slot)).join(' ')}?`;
};
const freeText = () => `${Array.from({ length: 15 + Math.floor(random() * 45) }, () => (random() < 0.08 ? number() : zipfWord())).join(' ')}.`;
const candidate = () => (random() < 0.5 ? fromTemplate() : freeText());

console.log(`ROUGE-L novelty filter, threshold ${threshold}; naive all-pairs timed on ${sampleCount} candidates per size and scaled to the N(N−1)/2 comparisons of the kept candidates alone`);
console.log('pool N   candidates  refused  index s  LCS computed  naive s (scaled)  ratio');
const nearestLines: string[] = [];
for (const size of sizes) {
  const pool = new RougePool(threshold);
  const kept: string[] = [];
  let candidates = 0;
  let lcsComputed = 0;
  const started = performance.now();
  while (pool.size < size) {
    const text = candidate();
    candidates++;
    const check = pool.check(text);
    lcsComputed += check.compared;
    if (check.accepted) {
      pool.add(text);
      kept.push(text);
    }
  }
  const indexSeconds = (performance.now() - started) / 1000;

  // Naive: every kept problem's tokens as ids once, then one LCS per pair.
  const ids = new Map<string, number>();
  const encode = (text: string) => Int32Array.from(rougeTokens(text), (t) => ids.get(t) ?? (ids.set(t, ids.size), ids.size - 1));
  const encoded = kept.map(encode);
  const sample = Array.from({ length: sampleCount }, candidate);
  const naiveStarted = performance.now();
  let pairs = 0;
  const naiveAccepts = sample.map((text) => {
    const tokens = encode(text);
    for (const other of encoded) {
      pairs++;
      if ((2 * lcsLength(tokens, other)) / (tokens.length + other.length) >= threshold) return false;
    }
    return true;
  });
  const perPair = (performance.now() - naiveStarted) / 1000 / pairs;
  // A lower bound: only the kept candidates' comparisons (each against the whole pool before it).
  const naiveSeconds = perPair * ((size * (size - 1)) / 2);
  const indexAccepts = sample.map((text) => pool.check(text).accepted);
  if (indexAccepts.some((accepted, i) => accepted !== naiveAccepts[i])) throw new Error('the index and all-pairs disagree on a sampled candidate');
  // Provenance of a kept problem: its nearest pool problem, exactly, through the index and by a full scan.
  const nearestStarted = performance.now();
  const found = sample.map((text) => pool.nearest(text)?.score ?? 0);
  const nearestMs = (performance.now() - nearestStarted) / sample.length;
  const scanStarted = performance.now();
  const scanned = sample.map((text) => {
    const tokens = encode(text);
    return Math.max(0, ...encoded.map((other) => (2 * lcsLength(tokens, other)) / (tokens.length + other.length)));
  });
  const scanMs = (performance.now() - scanStarted) / sample.length;
  if (found.some((score, i) => Math.abs(score - scanned[i]) > 1e-12)) throw new Error('nearest through the index and the full scan disagree');
  nearestLines.push(`${String(size).padEnd(8)} ${nearestMs.toFixed(1).padStart(12)} ${scanMs.toFixed(1).padStart(13)}  ${(scanMs / nearestMs).toFixed(1)}×`);
  console.log(
    `${String(size).padEnd(8)} ${String(candidates).padStart(10)} ${String(candidates - size).padStart(8)} ${indexSeconds.toFixed(1).padStart(8)} ${String(lcsComputed).padStart(13)} ${naiveSeconds.toFixed(0).padStart(17)}  ${(naiveSeconds / indexSeconds).toFixed(0)}×`,
  );
}
console.log('\nnearest pool problem of a kept one (its provenance), exact, per problem:');
console.log('pool N       index ms   full scan ms  ratio');
for (const line of nearestLines) console.log(line);
