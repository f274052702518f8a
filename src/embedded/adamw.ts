import type { Network } from './network.ts';

export interface AdamWOptions {
  learningRate: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  /** Gradients are rescaled so their global L2 norm is at most this. */
  clipNorm: number;
}

export const DEFAULT_ADAMW: AdamWOptions = {
  learningRate: 1e-3, beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0.01, clipNorm: 1,
};

/** AdamW with decoupled weight decay on matrices only; moments live in the network's arena. */
export class AdamW {
  private readonly m: number;
  private readonly v: number;
  private readonly decayMask: Uint8Array;
  private t = 0;

  constructor(private readonly net: Network, private readonly options: AdamWOptions = DEFAULT_ADAMW) {
    const n = net.layout.total;
    this.m = net.allocPermanent(n);
    this.v = net.allocPermanent(n);
    this.decayMask = new Uint8Array(n);
    for (const spec of net.layout.specs) if (spec.decay) this.decayMask.fill(1, spec.offset, spec.offset + spec.size);
  }

  /** Applies one update with the current gradients at learning rate `lr`; returns the pre-clip gradient norm. */
  step(lr = this.options.learningRate): number {
    const { beta1, beta2, eps, weightDecay, clipNorm } = this.options;
    const f = this.net.arena.f32;
    const n = this.net.layout.total;
    const P = this.net.params;
    const G = this.net.grads;
    let sq = 0;
    for (let i = 0; i < n; i++) sq += f[G + i] * f[G + i];
    const norm = Math.sqrt(sq);
    const clip = norm > clipNorm ? clipNorm / norm : 1;
    this.t += 1;
    const c1 = 1 - beta1 ** this.t;
    const c2 = 1 - beta2 ** this.t;
    const M = this.m;
    const V = this.v;
    for (let i = 0; i < n; i++) {
      const g = f[G + i] * clip;
      const m = (f[M + i] = beta1 * f[M + i] + (1 - beta1) * g);
      const v = (f[V + i] = beta2 * f[V + i] + (1 - beta2) * g * g);
      let p = f[P + i];
      if (this.decayMask[i]) p -= lr * weightDecay * p;
      f[P + i] = p - (lr * (m / c1)) / (Math.sqrt(v / c2) + eps);
    }
    return norm;
  }
}
