import { Arena } from './arena.ts';
import type { ModelConfig } from './config.ts';
import { createGemm, type Gemm, type GemmKind } from './gemm.ts';
import {
  addBias, attentionBackward, attentionForward, biasBackward, geluBackward, geluForward,
  layerNormBackward, layerNormForward, softmaxCrossEntropy, type AttentionShape,
} from './layers.ts';
import { paramLayout, type ParamLayout } from './params.ts';

/** A padded batch of B sequences of T positions, flattened row-major. */
export interface Batch {
  B: number;
  T: number;
  inputs: Int32Array;
  targets: Int32Array;
  /** Loss weight per position (0 for prompt and padding positions). */
  weights: Float32Array;
}

interface LayerActs {
  x: number; ln1: number; ln1Mean: number; ln1Rstd: number; qkv: number; probs: number; att: number;
  h: number; ln2: number; ln2Mean: number; ln2Rstd: number; u: number; g: number; tanh: number;
}

interface Workspace {
  M: number; B: number; T: number;
  layers: LayerActs[];
  xFinal: number; lnf: number; lnfMean: number; lnfRstd: number; logits: number;
  dx: number; dln: number; dqkv: number; datt: number; du: number; dg: number; dlogits: number;
}

/**
 * The transformer's parameters, gradients and training activations in one arena, with a
 * hand-written forward and backward pass. Matmuls go through the Gemm kernels; everything
 * else is in layers.ts.
 */
export class Network {
  readonly arena: Arena;
  readonly gemm: Gemm;
  readonly layout: ParamLayout;
  /** Arena offsets of the parameter and gradient blocks (same layout). */
  readonly params: number;
  readonly grads: number;
  private workspace: Workspace | null = null;
  /** End of the permanent allocations (parameters, grads, optimizer state); workspaces go above it. */
  private permanentTop: number;
  private attentionScratch: Float32Array;

  constructor(readonly config: ModelConfig, gemmKind: GemmKind = 'auto') {
    this.layout = paramLayout(config);
    this.arena = new Arena(this.layout.total * 4 + (1 << 16));
    this.gemm = createGemm(this.arena, gemmKind);
    this.params = this.arena.alloc(this.layout.total);
    this.grads = this.arena.alloc(this.layout.total);
    this.permanentTop = this.arena.mark();
    this.attentionScratch = new Float32Array(config.contextLength);
  }

  paramView(): Float32Array {
    return this.arena.view(this.params, this.layout.total);
  }

  gradView(): Float32Array {
    return this.arena.view(this.grads, this.layout.total);
  }

  /** Permanent arena space for callers (optimizer moments); workspaces and scratch live above it. */
  allocPermanent(n: number): number {
    this.workspace = null;
    this.arena.release(this.permanentTop);
    const offset = this.arena.alloc(n);
    this.permanentTop = this.arena.mark();
    return offset;
  }

  private ensureWorkspace(B: number, T: number): Workspace {
    const w = this.workspace;
    if (w && w.B === B && w.T === T) return w;
    if (T > this.config.contextLength) throw new RangeError(`sequence of ${T} exceeds the context of ${this.config.contextLength}`);
    this.arena.release(this.permanentTop);
    const { dModel: d, nHeads: H, vocabSize: V, mlpRatio } = this.config;
    const M = B * T;
    const a = (n: number) => this.arena.alloc(n);
    const layers: LayerActs[] = [];
    for (let l = 0; l < this.config.nLayers; l++) {
      layers.push({
        x: a(M * d), ln1: a(M * d), ln1Mean: a(M), ln1Rstd: a(M), qkv: a(M * 3 * d), probs: a(B * H * T * T),
        att: a(M * d), h: a(M * d), ln2: a(M * d), ln2Mean: a(M), ln2Rstd: a(M), u: a(M * mlpRatio * d), g: a(M * mlpRatio * d), tanh: a(M * mlpRatio * d),
      });
    }
    this.workspace = {
      M, B, T, layers,
      xFinal: a(M * d), lnf: a(M * d), lnfMean: a(M), lnfRstd: a(M), logits: a(M * V),
      dx: a(M * d), dln: a(M * d), dqkv: a(M * 3 * d), datt: a(M * d), du: a(M * mlpRatio * d), dg: a(M * mlpRatio * d),
      dlogits: a(M * V),
    };
    return this.workspace;
  }

  /** Logits [B*T, vocab] of the last `step`, valid until the next arena allocation. */
  lastLogits(): Float32Array {
    const ws = this.workspace;
    if (!ws) throw new Error('no forward pass has run');
    return this.arena.view(ws.logits, ws.M * this.config.vocabSize);
  }

  /** Runs `fn` with temporary arena space (e.g. a KV cache) that is freed afterwards. */
  withScratch<T>(fn: (alloc: (n: number) => number) => T): T {
    this.workspace = null;
    this.arena.release(this.permanentTop);
    try {
      return fn((n) => this.arena.alloc(n));
    } finally {
      this.arena.release(this.permanentTop);
    }
  }

  /** Mean weighted cross-entropy of the batch; with `backward`, gradients are written (not added) to the grad block. */
  step(batch: Batch, backward: boolean): number {
    const ws = this.ensureWorkspace(batch.B, batch.T);
    const loss = this.forward(batch, ws);
    if (backward) this.backward(batch, ws);
    return loss;
  }

  private forward(batch: Batch, ws: Workspace): number {
    const { dModel: d, nHeads: H, vocabSize: V, mlpRatio } = this.config;
    const { B, T, M } = ws;
    const P = this.params;
    const L = this.layout;
    const f = this.arena.f32;
    const x0 = ws.layers[0].x;
    for (let r = 0; r < M; r++) {
      const tok = P + L.tokEmb + batch.inputs[r] * d;
      const pos = P + L.posEmb + (r % T) * d;
      for (let j = 0; j < d; j++) f[x0 + r * d + j] = f[tok + j] + f[pos + j];
    }
    const shape: AttentionShape = { B, T, H, hd: d / H };
    const hidden = mlpRatio * d;
    for (let l = 0; l < this.config.nLayers; l++) {
      const a = ws.layers[l];
      const p = L.layers[l];
      const next = l + 1 < this.config.nLayers ? ws.layers[l + 1].x : ws.xFinal;
      layerNormForward(f, a.x, P + p.ln1g, P + p.ln1b, a.ln1, a.ln1Mean, a.ln1Rstd, M, d);
      this.gemm.nn(a.ln1, P + p.wqkv, a.qkv, M, d, 3 * d, false);
      addBias(f, a.qkv, P + p.bqkv, M, 3 * d);
      attentionForward(f, a.qkv, a.probs, a.att, shape);
      f.copyWithin(a.h, a.x, a.x + M * d);
      this.gemm.nn(a.att, P + p.wo, a.h, M, d, d, true);
      addBias(f, a.h, P + p.bo, M, d);
      layerNormForward(f, a.h, P + p.ln2g, P + p.ln2b, a.ln2, a.ln2Mean, a.ln2Rstd, M, d);
      this.gemm.nn(a.ln2, P + p.w1, a.u, M, d, hidden, false);
      addBias(f, a.u, P + p.b1, M, hidden);
      geluForward(f, a.u, a.g, a.tanh, M * hidden);
      f.copyWithin(next, a.h, a.h + M * d);
      this.gemm.nn(a.g, P + p.w2, next, M, hidden, d, true);
      addBias(f, next, P + p.b2, M, d);
    }
    layerNormForward(f, ws.xFinal, P + L.lnfg, P + L.lnfb, ws.lnf, ws.lnfMean, ws.lnfRstd, M, d);
    if (L.head < 0) this.gemm.nt(ws.lnf, P + L.tokEmb, ws.logits, M, d, V, false);
    else this.gemm.nn(ws.lnf, P + L.head, ws.logits, M, d, V, false);
    let normalizer = 0;
    for (let i = 0; i < M; i++) normalizer += batch.weights[i];
    return softmaxCrossEntropy(f, ws.logits, batch.targets, batch.weights, ws.dlogits, M, V, Math.max(normalizer, 1e-9));
  }

  private backward(batch: Batch, ws: Workspace): void {
    const { dModel: d, nHeads: H, vocabSize: V, mlpRatio } = this.config;
    const { B, T, M } = ws;
    const P = this.params;
    const G = this.grads;
    const L = this.layout;
    const f = this.arena.f32;
    f.fill(0, G, G + L.total);
    f.fill(0, ws.dln, ws.dln + M * d);
    if (L.head < 0) {
      this.gemm.nn(ws.dlogits, P + L.tokEmb, ws.dln, M, V, d, false);
      this.gemm.tn(ws.dlogits, ws.lnf, G + L.tokEmb, M, V, d, true);
    } else {
      this.gemm.nt(ws.dlogits, P + L.head, ws.dln, M, V, d, false);
      this.gemm.tn(ws.lnf, ws.dlogits, G + L.head, M, d, V, true);
    }
    f.fill(0, ws.dx, ws.dx + M * d);
    layerNormBackward(f, ws.dln, ws.xFinal, P + L.lnfg, ws.lnfMean, ws.lnfRstd, ws.dx, G + L.lnfg, G + L.lnfb, M, d);
    const shape: AttentionShape = { B, T, H, hd: d / H };
    const hidden = mlpRatio * d;
    for (let l = this.config.nLayers - 1; l >= 0; l--) {
      const a = ws.layers[l];
      const p = L.layers[l];
      // dx is the gradient w.r.t. this block's output; the residual passes it through unchanged.
      biasBackward(f, ws.dx, G + p.b2, M, d);
      this.gemm.tn(a.g, ws.dx, G + p.w2, M, hidden, d, true);
      this.gemm.nt(ws.dx, P + p.w2, ws.dg, M, d, hidden, false);
      f.fill(0, ws.du, ws.du + M * hidden);
      geluBackward(f, a.u, a.tanh, ws.dg, ws.du, M * hidden);
      biasBackward(f, ws.du, G + p.b1, M, hidden);
      this.gemm.tn(a.ln2, ws.du, G + p.w1, M, d, hidden, true);
      this.gemm.nt(ws.du, P + p.w1, ws.dln, M, hidden, d, false);
      layerNormBackward(f, ws.dln, a.h, P + p.ln2g, a.ln2Mean, a.ln2Rstd, ws.dx, G + p.ln2g, G + p.ln2b, M, d);
      // dx is now the gradient w.r.t. h = x + attention branch.
      biasBackward(f, ws.dx, G + p.bo, M, d);
      this.gemm.tn(a.att, ws.dx, G + p.wo, M, d, d, true);
      this.gemm.nt(ws.dx, P + p.wo, ws.datt, M, d, d, false);
      f.fill(0, ws.dqkv, ws.dqkv + M * 3 * d);
      attentionBackward(f, a.qkv, a.probs, ws.datt, ws.dqkv, shape, this.attentionScratch);
      biasBackward(f, ws.dqkv, G + p.bqkv, M, 3 * d);
      this.gemm.tn(a.ln1, ws.dqkv, G + p.wqkv, M, d, 3 * d, true);
      this.gemm.nt(ws.dqkv, P + p.wqkv, ws.dln, M, 3 * d, d, false);
      layerNormBackward(f, ws.dln, a.x, P + p.ln1g, a.ln1Mean, a.ln1Rstd, ws.dx, G + p.ln1g, G + p.ln1b, M, d);
    }
    for (let r = 0; r < M; r++) {
      const tok = G + L.tokEmb + batch.inputs[r] * d;
      const pos = G + L.posEmb + (r % T) * d;
      for (let j = 0; j < d; j++) {
        f[tok + j] += f[ws.dx + r * d + j];
        f[pos + j] += f[ws.dx + r * d + j];
      }
    }
  }
}
