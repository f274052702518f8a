/**
 * Trains the shipped base checkpoint from scratch (seeded, so it reproduces): mostly 1–3 digit
 * reversed additions plus a small seed of 4–5 digit ones (see DEFAULT_EASY_MIXTURE). Without
 * that seed the model scores 0% on unseen lengths and a STaR round has nothing to keep.
 * Run: npm run train:base [-- --steps 1200 --seed-fraction 0.02 --out path]
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { arithCompletion, DEFAULT_EASY_MIXTURE, drawFromMixture } from '../src/embedded/arith.ts';
import { saveCheckpoint } from '../src/embedded/checkpoint.ts';
import { DEFAULT_MODEL_CONFIG } from '../src/embedded/config.ts';
import { arithAccuracy } from '../src/embedded/evaluate.ts';
import { Network } from '../src/embedded/network.ts';
import { countParams, initParams } from '../src/embedded/params.ts';
import { Rng } from '../src/embedded/rng.ts';
import { trainNetwork } from '../src/embedded/train.ts';

const { values } = parseArgs({
  options: {
    steps: { type: 'string', default: '1200' },
    batch: { type: 'string', default: '64' },
    lr: { type: 'string', default: '0.003' },
    seed: { type: 'string', default: '1' },
    'seed-fraction': { type: 'string', default: String(DEFAULT_EASY_MIXTURE.seedFraction) },
    out: { type: 'string', default: fileURLToPath(new URL('../src/embedded/checkpoints/base.ckpt', import.meta.url)) },
  },
});
const steps = Number(values.steps);
const batchSize = Number(values.batch);
const seed = Number(values.seed);
const mixture = { ...DEFAULT_EASY_MIXTURE, seedFraction: Number(values['seed-fraction']) };

const net = new Network(DEFAULT_MODEL_CONFIG);
initParams(net.layout, net.config, net.paramView(), new Rng(seed));
const dataRng = new Rng(seed + 1);
const examples = Array.from({ length: steps * batchSize }, () => {
  const problem = drawFromMixture(dataRng, mixture);
  return { prompt: problem.prompt, completion: arithCompletion(problem) };
});
console.log(`${countParams(net.layout)} parameters, ${net.gemm.kind} kernels, ${steps} steps of ${batchSize}`);

const started = performance.now();
let recent = 0;
const result = await trainNetwork(net, examples, {
  steps, batchSize, learningRate: Number(values.lr), seed: seed + 2,
  onStep(step, loss) {
    recent += loss;
    if (step % 100 === 0) {
      const seconds = (performance.now() - started) / 1000;
      console.log(`step ${step}  loss ${(recent / 100).toFixed(4)}  ${seconds.toFixed(0)}s`);
      recent = 0;
    }
  },
});
const seconds = (performance.now() - started) / 1000;
console.log(`trained in ${seconds.toFixed(0)}s (${(result.tokens / seconds).toFixed(0)} tokens/s)`);

const greedy = { temperature: 0, topP: 1, maxTokens: 12 };
const accuracy: Record<string, number> = {};
for (const digits of [1, 2, 3, 4, 5]) accuracy[`${digits}-digit`] = arithAccuracy(net, digits, 200, 99, greedy);
console.log('greedy accuracy on fresh problems:', accuracy);

await mkdir(dirname(values.out), { recursive: true });
const digest = await saveCheckpoint(values.out, net, { trainedBy: 'scripts/train-base.ts', steps, batchSize, seed, mixture, accuracy });
console.log(`wrote ${values.out} (${digest})`);
