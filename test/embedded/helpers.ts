import type { ModelConfig } from '../../src/embedded/config.ts';
import type { Batch } from '../../src/embedded/network.ts';
import { Rng } from '../../src/embedded/rng.ts';

export const TINY_CONFIG: ModelConfig = {
  vocabSize: 8, contextLength: 6, dModel: 8, nHeads: 2, nLayers: 2, mlpRatio: 2, tiedEmbeddings: true,
};

export function randomBatch(config: ModelConfig, B: number, T: number, seed: number): Batch {
  const rng = new Rng(seed);
  const inputs = new Int32Array(B * T).map(() => rng.int(config.vocabSize));
  const targets = new Int32Array(B * T).map(() => rng.int(config.vocabSize));
  // The first position of each sequence acts as prompt (weight 0), the rest carry loss.
  const weights = new Float32Array(B * T).map((_, i) => (i % T === 0 ? 0 : 1));
  return { B, T, inputs, targets, weights };
}

export function fillRandom(target: Float32Array, seed: number, scale: number): void {
  const rng = new Rng(seed);
  for (let i = 0; i < target.length; i++) target[i] = rng.normal() * scale;
}

/**
 * Central finite difference of `loss` w.r.t. target[i]; float32 storage limits precision,
 * so callers compare with a tolerance of ~1e-2 relative.
 */
export function numericGrad(target: Float32Array, i: number, loss: () => number, eps = 1e-2): number {
  const saved = target[i];
  target[i] = saved + eps;
  const plus = loss();
  target[i] = saved - eps;
  const minus = loss();
  target[i] = saved;
  return (plus - minus) / (2 * eps);
}

export function expectClose(analytic: number, numeric: number, label: string, rel = 3e-2, abs = 2e-3): void {
  const err = Math.abs(analytic - numeric);
  if (err > abs + rel * Math.max(Math.abs(analytic), Math.abs(numeric))) {
    throw new Error(`${label}: analytic ${analytic} vs numeric ${numeric}`);
  }
}

/** Writes a small random-weight checkpoint with the real vocabulary, for adapter tests. */
export async function writeTinyCheckpoint(dir: string, name = 'tiny.ckpt'): Promise<string> {
  const { Network } = await import('../../src/embedded/network.ts');
  const { saveCheckpoint } = await import('../../src/embedded/checkpoint.ts');
  const { VOCAB_SIZE } = await import('../../src/embedded/tokenizer.ts');
  const net = new Network({ vocabSize: VOCAB_SIZE, contextLength: 24, dModel: 16, nHeads: 2, nLayers: 1, mlpRatio: 2, tiedEmbeddings: true });
  fillRandom(net.paramView(), 21, 0.3);
  const path = `${dir}/${name}`;
  await saveCheckpoint(path, net);
  return path;
}
