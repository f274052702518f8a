import { describe, expect, it } from 'vitest';
import {
  attentionBackward, attentionForward, geluBackward, geluForward, layerNormBackward, layerNormForward, softmaxCrossEntropy,
} from '../../src/embedded/layers.ts';
import { Rng } from '../../src/embedded/rng.ts';
import { expectClose, numericGrad } from './helpers.ts';

/** A scratch Float32Array carved into named regions; each check projects the layer output on fixed random weights R. */
function regions(sizes: Record<string, number>, seed: number) {
  const at: Record<string, number> = {};
  let total = 0;
  for (const [name, size] of Object.entries(sizes)) {
    at[name] = total;
    total += size;
  }
  const f = new Float32Array(total);
  const rng = new Rng(seed);
  for (let i = 0; i < total; i++) f[i] = rng.normal() * 0.7;
  return { f, at };
}

function project(f: Float32Array, out: number, r: number, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += f[out + i] * f[r + i];
  return s;
}

function checkAll(f: Float32Array, input: number, n: number, grad: Float32Array, loss: () => number, label: string): void {
  for (let i = 0; i < n; i++) expectClose(grad[i], numericGrad(f, input + i, loss), `${label}[${i}]`);
}

describe('layer gradients match finite differences', () => {
  it('layer norm (input, gain, bias)', () => {
    const M = 3, d = 8;
    const { f, at } = regions({ x: M * d, g: d, b: d, out: M * d, mean: M, rstd: M, r: M * d, dout: M * d, dx: M * d, dg: d, db: d }, 1);
    const loss = () => {
      layerNormForward(f, at.x, at.g, at.b, at.out, at.mean, at.rstd, M, d);
      return project(f, at.out, at.r, M * d);
    };
    loss();
    f.copyWithin(at.dout, at.r, at.r + M * d);
    f.fill(0, at.dx, at.db + d);
    layerNormBackward(f, at.dout, at.x, at.g, at.mean, at.rstd, at.dx, at.dg, at.db, M, d);
    const copy = (o: number, n: number) => f.slice(o, o + n);
    const [dx, dg, db] = [copy(at.dx, M * d), copy(at.dg, d), copy(at.db, d)];
    checkAll(f, at.x, M * d, dx, loss, 'dx');
    checkAll(f, at.g, d, dg, loss, 'dg');
    checkAll(f, at.b, d, db, loss, 'db');
  });

  it('GELU', () => {
    const n = 12;
    const { f, at } = regions({ u: n, out: n, tanh: n, r: n, du: n }, 2);
    const loss = () => {
      geluForward(f, at.u, at.out, at.tanh, n);
      return project(f, at.out, at.r, n);
    };
    loss();
    f.fill(0, at.du, at.du + n);
    geluBackward(f, at.u, at.tanh, at.r, at.du, n);
    checkAll(f, at.u, n, f.slice(at.du, at.du + n), loss, 'du');
  });

  it('causal multi-head attention (q, k and v)', () => {
    const s = { B: 2, T: 4, H: 2, hd: 3 };
    const M = s.B * s.T, d = s.H * s.hd;
    const { f, at } = regions({ qkv: M * 3 * d, probs: s.B * s.H * s.T * s.T, out: M * d, r: M * d, dqkv: M * 3 * d }, 3);
    const loss = () => {
      attentionForward(f, at.qkv, at.probs, at.out, s);
      return project(f, at.out, at.r, M * d);
    };
    loss();
    f.fill(0, at.dqkv, at.dqkv + M * 3 * d);
    attentionBackward(f, at.qkv, at.probs, at.r, at.dqkv, s, new Float32Array(s.T));
    checkAll(f, at.qkv, M * 3 * d, f.slice(at.dqkv, at.dqkv + M * 3 * d), loss, 'dqkv');
  });

  it('attention is causal: later positions do not change earlier outputs', () => {
    const s = { B: 1, T: 4, H: 1, hd: 4 };
    const { f, at } = regions({ qkv: 4 * 12, probs: 16, out: 16 }, 4);
    attentionForward(f, at.qkv, at.probs, at.out, s);
    const before = f.slice(at.out, at.out + 12);
    for (let c = 0; c < 12; c++) f[at.qkv + 3 * 12 + c] += 5;
    attentionForward(f, at.qkv, at.probs, at.out, s);
    expect(f.slice(at.out, at.out + 12)).toEqual(before);
  });

  it('softmax cross-entropy with loss weights', () => {
    const M = 4, V = 5;
    const { f, at } = regions({ logits: M * V, dlogits: M * V }, 5);
    const targets = Int32Array.from([1, 4, 0, 2]);
    const weights = Float32Array.from([1, 0, 1, 1]);
    const loss = () => softmaxCrossEntropy(f, at.logits, targets, weights, at.dlogits, M, V, 3);
    loss();
    const grad = f.slice(at.dlogits, at.dlogits + M * V);
    checkAll(f, at.logits, M * V, grad, loss, 'dlogits');
    expect(grad.slice(V, 2 * V).every((g) => g === 0)).toBe(true);
  });
});
