/**
 * Throughput of the embedded model on this machine, all measured in this one run:
 * training tokens/s (WASM SIMD vs pure-JS kernels), sampling tokens/s (batch 1 and batched) and
 * batched sampling on 1 thread vs 2 worker threads.
 * Uses the shipped base checkpoint's shape with its weights when present.
 * Run: npm run bench:embedded
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { randomArithProblem, arithCompletion } from '../../src/embedded/arith.ts';
import { encodeCheckpoint, loadCheckpoint } from '../../src/embedded/checkpoint.ts';
import { SamplePool } from '../../src/embedded/sample-pool.ts';
import { DEFAULT_MODEL_CONFIG } from '../../src/embedded/config.ts';
import type { GemmKind } from '../../src/embedded/gemm.ts';
import { Network } from '../../src/embedded/network.ts';
import { countParams, initParams } from '../../src/embedded/params.ts';
import { BASE_CHECKPOINT_PATH } from '../../src/embedded/paths.ts';
import { Rng } from '../../src/embedded/rng.ts';
import { sampleBatch } from '../../src/embedded/sampler.ts';
import { trainNetwork } from '../../src/embedded/train.ts';

async function model(kind: Exclude<GemmKind, 'auto'>): Promise<Network> {
  if (existsSync(BASE_CHECKPOINT_PATH)) return (await loadCheckpoint(BASE_CHECKPOINT_PATH, kind)).net;
  const net = new Network(DEFAULT_MODEL_CONFIG, kind);
  initParams(net.layout, net.config, net.paramView(), new Rng(1));
  return net;
}

const rng = new Rng(7);
const problems = Array.from({ length: 512 }, () => randomArithProblem(rng, 5));
const examples = problems.map((p) => ({ prompt: p.prompt, completion: arithCompletion(p) }));

async function trainRate(kind: 'wasm' | 'js', steps: number): Promise<number> {
  const net = await model(kind);
  const t0 = performance.now();
  const { tokens } = await trainNetwork(net, examples, { steps, batchSize: 32, learningRate: 1e-3, seed: 1 });
  return tokens / ((performance.now() - t0) / 1000);
}

async function sampleRate(kind: 'wasm' | 'js', batch: number, total: number): Promise<number> {
  const net = await model(kind);
  const t0 = performance.now();
  let tokens = 0;
  for (let start = 0; start < total; start += batch) {
    const jobs = problems.slice(start, start + batch).map((p, i) => ({ prompt: p.prompt, seed: start + i }));
    for (const r of sampleBatch(net, jobs, { temperature: 1, topP: 1, maxTokens: 12 })) tokens += r.promptTokens + r.completionTokens;
  }
  return tokens / ((performance.now() - t0) / 1000);
}

const net = await model('wasm');
console.log(`model: ${net.config.nLayers} layers, d=${net.config.dModel}, ${net.config.nHeads} heads, ${countParams(net.layout)} parameters`);
const rows: Array<[string, number, number]> = [];
const trainWasm = await trainRate('wasm', 30);
const trainJs = await trainRate('js', 6);
rows.push(['train (batch 32, 5-digit)', trainWasm, trainJs]);
const sample1Wasm = await sampleRate('wasm', 1, 64);
const sample1Js = await sampleRate('js', 1, 16);
rows.push(['sample batch 1', sample1Wasm, sample1Js]);
const sampleBWasm = await sampleRate('wasm', 512, 512);
const sampleBJs = await sampleRate('js', 128, 128);
rows.push(['sample batch 512 / 128 (JS)', sampleBWasm, sampleBJs]);
const poolJobs = problems.map((p, i) => ({ prompt: p.prompt, seed: i }));
const sampleOptions = { temperature: 1, topP: 1, maxTokens: 12 };
const bytes = existsSync(BASE_CHECKPOINT_PATH) ? await readFile(BASE_CHECKPOINT_PATH) : encodeCheckpoint(net);
const pool = new SamplePool(bytes, 2);
// Warm the workers' JIT on a full batch first: the in-process numbers above are warm too.
await pool.sample(poolJobs, sampleOptions);
const p0 = performance.now();
let pooledTokens = 0;
for (let repeat = 0; repeat < 2; repeat++) {
  for (const r of await pool.sample(poolJobs, sampleOptions)) pooledTokens += r.promptTokens + r.completionTokens;
}
const pooledRate = pooledTokens / ((performance.now() - p0) / 1000);
await pool.close();
rows.push(['sample batch 512, 2 worker threads (vs 1)', pooledRate, sampleBWasm]);

console.table(
  rows.map(([what, wasm, js]) => ({
    measure: what, 'WASM tokens/s': Math.round(wasm), 'JS (or 1-thread) tokens/s': Math.round(js), ratio: (wasm / js).toFixed(2),
  })),
);
console.log('tokens/s count every processed position (prompt + generated for sampling). Load on the machine skews all numbers.');
