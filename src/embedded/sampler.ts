import { layerNormForward, addBias, geluForward } from './layers.ts';
import type { Network } from './network.ts';
import { Rng } from './rng.ts';
import { decode, encode, EOS, isSampleable } from './tokenizer.ts';

export interface SampleJob {
  prompt: string;
  /** Seeds this sequence's own generator, so a sample does not depend on what it was batched with. */
  seed: number;
}

export interface SampleOptions {
  /** 0 = greedy. */
  temperature: number;
  topP: number;
  maxTokens: number;
  /** Generation ends (finishReason `stop`) when the text ends with one of these; the stop text is removed. */
  stop?: string[];
}

export interface SampleResult {
  text: string;
  finishReason: 'stop' | 'length';
  promptTokens: number;
  completionTokens: number;
}

/**
 * Lock-step batched sampling with a KV cache. Every sequence starts at position 0 and advances
 * one position per step, feeding its prompt tokens first; shorter prompts start generating
 * earlier. All rows share a position, so learned positions need no padding tricks.
 */
export function sampleBatch(net: Network, jobs: SampleJob[], options: SampleOptions): SampleResult[] {
  const { dModel: d, nHeads: H, nLayers, vocabSize: V, contextLength: T, mlpRatio } = net.config;
  const B = jobs.length;
  if (B === 0) return [];
  const prompts = jobs.map((j) => [EOS, ...encode(j.prompt)]);
  for (const p of prompts) {
    if (p.length >= T) throw new RangeError(`a prompt of ${p.length - 1} tokens leaves no room in the context of ${T}`);
  }
  const rngs = jobs.map((j) => new Rng(j.seed));
  const generated: number[][] = jobs.map(() => []);
  const texts = jobs.map(() => '');
  const finish: Array<'stop' | 'length' | null> = jobs.map(() => null);
  const hidden = mlpRatio * d;
  const hd = d / H;
  const scale = 1 / Math.sqrt(hd);

  return net.withScratch((alloc) => {
    const kCache = Array.from({ length: nLayers }, () => alloc(B * T * d));
    const vCache = Array.from({ length: nLayers }, () => alloc(B * T * d));
    const x = alloc(B * d), ln = alloc(B * d), mean = alloc(B), rstd = alloc(B), qkv = alloc(B * 3 * d);
    const att = alloc(B * d), u = alloc(B * hidden), g = alloc(B * hidden), tanh = alloc(B * hidden), logits = alloc(B * V);
    const f = net.arena.f32;
    const P = net.params;
    const L = net.layout;
    const scores = new Float64Array(T);
    const probs = new Float64Array(V);
    const order = Array.from({ length: V }, (_, i) => i);
    let alive = B;
    for (let t = 0; t < T && alive > 0; t++) {
      for (let b = 0; b < B; b++) {
        const tok = t < prompts[b].length ? prompts[b][t] : (generated[b][generated[b].length - 1] ?? EOS);
        const te = P + L.tokEmb + tok * d;
        const pe = P + L.posEmb + t * d;
        for (let j = 0; j < d; j++) f[x + b * d + j] = f[te + j] + f[pe + j];
      }
      for (let l = 0; l < nLayers; l++) {
        const p = L.layers[l];
        layerNormForward(f, x, P + p.ln1g, P + p.ln1b, ln, mean, rstd, B, d);
        net.gemm.nn(ln, P + p.wqkv, qkv, B, d, 3 * d, false);
        addBias(f, qkv, P + p.bqkv, B, 3 * d);
        for (let b = 0; b < B; b++) {
          const row = qkv + b * 3 * d;
          const slot = (b * T + t) * d;
          f.copyWithin(kCache[l] + slot, row + d, row + 2 * d);
          f.copyWithin(vCache[l] + slot, row + 2 * d, row + 3 * d);
          for (let h = 0; h < H; h++) {
            const q = row + h * hd;
            let max = -Infinity;
            for (let j = 0; j <= t; j++) {
              const k = kCache[l] + (b * T + j) * d + h * hd;
              let dot = 0;
              for (let c = 0; c < hd; c++) dot += f[q + c] * f[k + c];
              scores[j] = dot * scale;
              if (scores[j] > max) max = scores[j];
            }
            let sum = 0;
            for (let j = 0; j <= t; j++) sum += scores[j] = Math.exp(scores[j] - max);
            const o = att + b * d + h * hd;
            for (let c = 0; c < hd; c++) f[o + c] = 0;
            for (let j = 0; j <= t; j++) {
              const w = scores[j] / sum;
              const v = vCache[l] + (b * T + j) * d + h * hd;
              for (let c = 0; c < hd; c++) f[o + c] += w * f[v + c];
            }
          }
        }
        net.gemm.nn(att, P + p.wo, x, B, d, d, true);
        addBias(f, x, P + p.bo, B, d);
        layerNormForward(f, x, P + p.ln2g, P + p.ln2b, ln, mean, rstd, B, d);
        net.gemm.nn(ln, P + p.w1, u, B, d, hidden, false);
        addBias(f, u, P + p.b1, B, hidden);
        geluForward(f, u, g, tanh, B * hidden);
        net.gemm.nn(g, P + p.w2, x, B, hidden, d, true);
        addBias(f, x, P + p.b2, B, d);
      }
      layerNormForward(f, x, P + L.lnfg, P + L.lnfb, ln, mean, rstd, B, d);
      if (L.head < 0) net.gemm.nt(ln, P + L.tokEmb, logits, B, d, V, false);
      else net.gemm.nn(ln, P + L.head, logits, B, d, V, false);
      for (let b = 0; b < B; b++) {
        if (finish[b] !== null || t < prompts[b].length - 1) continue;
        const next = pickToken(f, logits + b * V, V, options, rngs[b], probs, order);
        let done: 'stop' | 'length' | null = null;
        if (next === EOS) done = 'stop';
        else {
          generated[b].push(next);
          texts[b] += decode([next]);
          const stop = options.stop?.find((s) => s.length > 0 && texts[b].endsWith(s));
          if (stop !== undefined) {
            texts[b] = texts[b].slice(0, -stop.length);
            done = 'stop';
          } else if (generated[b].length >= options.maxTokens || t + 1 >= T) done = 'length';
        }
        if (done !== null) {
          finish[b] = done;
          alive--;
        }
      }
    }
    return jobs.map((_, b) => ({
      text: texts[b],
      finishReason: finish[b] ?? 'length',
      promptTokens: prompts[b].length - 1,
      completionTokens: generated[b].length + (finish[b] === 'stop' ? 1 : 0),
    }));
  });
}

function pickToken(
  f: Float32Array, row: number, V: number, options: SampleOptions, rng: Rng, probs: Float64Array, order: number[],
): number {
  if (options.temperature === 0) {
    let best = EOS;
    for (let j = 1; j < V; j++) if (isSampleable(j) && f[row + j] > f[row + best]) best = j;
    return best;
  }
  let max = -Infinity;
  for (let j = 0; j < V; j++) if (isSampleable(j) && f[row + j] > max) max = f[row + j];
  let sum = 0;
  for (let j = 0; j < V; j++) sum += probs[j] = isSampleable(j) ? Math.exp((f[row + j] - max) / options.temperature) : 0;
  for (let j = 0; j < V; j++) probs[j] /= sum;
  for (let j = 0; j < V; j++) order[j] = j;
  let kept = V;
  let mass = 1;
  if (options.topP < 1) {
    // Nucleus: the most likely tokens whose probabilities first add up to topP.
    order.sort((a, b) => probs[b] - probs[a] || a - b);
    mass = 0;
    kept = 0;
    while (kept < V && mass < options.topP) mass += probs[order[kept++]];
  }
  let r = rng.next() * mass;
  for (let i = 0; i < kept; i++) {
    r -= probs[order[i]];
    if (r < 0) return order[i];
  }
  let last = kept - 1;
  while (probs[order[last]] === 0) last--;
  return order[last];
}
