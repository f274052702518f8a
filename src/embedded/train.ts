import { AdamW, DEFAULT_ADAMW } from './adamw.ts';
import { collate, encodeExample, type TrainExample } from './examples.ts';
import type { Network } from './network.ts';
import { Rng } from './rng.ts';

export interface TrainOptions {
  steps: number;
  batchSize: number;
  learningRate: number;
  /** Linear warm-up steps, then cosine decay to 10% of the peak rate. */
  warmupSteps?: number;
  weightDecay?: number;
  seed: number;
  /** Called after every step. */
  onStep?: (step: number, loss: number) => void;
  /** Checked between steps; training stops early (keeping the weights so far) once aborted. */
  signal?: AbortSignal;
}

export interface TrainResult {
  steps: number;
  losses: number[];
  tokens: number;
}

export function learningRateAt(step: number, options: TrainOptions): number {
  const warmup = options.warmupSteps ?? Math.min(50, Math.floor(options.steps / 10));
  if (step < warmup) return (options.learningRate * (step + 1)) / warmup;
  const progress = (step - warmup) / Math.max(1, options.steps - warmup);
  return options.learningRate * (0.1 + 0.45 * (1 + Math.cos(Math.PI * progress)));
}

/** Steps between yields to the event loop, so progress output and signals get through. */
const YIELD_EVERY = 4;

/**
 * Fine-tunes `net` in place on the examples: shuffled epochs of fixed-size batches drawn with a
 * seeded generator, so the same seed and data give the same weights.
 */
export async function trainNetwork(net: Network, examples: TrainExample[], options: TrainOptions): Promise<TrainResult> {
  if (examples.length === 0) return { steps: 0, losses: [], tokens: 0 };
  const encoded = examples.map(encodeExample);
  const optimizer = new AdamW(net, { ...DEFAULT_ADAMW, weightDecay: options.weightDecay ?? DEFAULT_ADAMW.weightDecay });
  const rng = new Rng(options.seed);
  let order: number[] = [];
  const losses: number[] = [];
  let tokens = 0;
  for (let step = 0; step < options.steps; step++) {
    const picked = [];
    for (let i = 0; i < Math.min(options.batchSize, encoded.length); i++) {
      if (order.length === 0) order = rng.shuffle(encoded.map((_, j) => j));
      picked.push(encoded[order.pop()!]);
    }
    const batch = collate(picked, net.config.contextLength);
    tokens += picked.reduce((n, e) => n + e.tokens.length - 1, 0);
    const loss = net.step(batch, true);
    optimizer.step(learningRateAt(step, options));
    losses.push(loss);
    options.onStep?.(step + 1, loss);
    if (step % YIELD_EVERY === YIELD_EVERY - 1) {
      await new Promise((resolve) => setImmediate(resolve));
      if (options.signal?.aborted) return { steps: step + 1, losses, tokens };
    }
  }
  return { steps: options.steps, losses, tokens };
}
