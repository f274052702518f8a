/**
 * Forward and backward passes of the non-matmul layers, over a Float32Array (the arena view)
 * and float offsets. Backward functions *add* into their gradient outputs, so residual branches
 * and shared weights accumulate without extra copies.
 */
const LN_EPS = 1e-5;

export function layerNormForward(
  f: Float32Array, x: number, g: number, b: number, out: number, mean: number, rstd: number, M: number, d: number,
): void {
  for (let i = 0; i < M; i++) {
    const row = x + i * d;
    let m = 0;
    for (let j = 0; j < d; j++) m += f[row + j];
    m /= d;
    let v = 0;
    for (let j = 0; j < d; j++) {
      const c = f[row + j] - m;
      v += c * c;
    }
    const r = 1 / Math.sqrt(v / d + LN_EPS);
    f[mean + i] = m;
    f[rstd + i] = r;
    const o = out + i * d;
    for (let j = 0; j < d; j++) f[o + j] = (f[row + j] - m) * r * f[g + j] + f[b + j];
  }
}

export function layerNormBackward(
  f: Float32Array, dout: number, x: number, g: number, mean: number, rstd: number,
  dx: number, dg: number, db: number, M: number, d: number,
): void {
  for (let i = 0; i < M; i++) {
    const row = x + i * d;
    const drow = dout + i * d;
    const m = f[mean + i];
    const r = f[rstd + i];
    let sumDxhat = 0;
    let sumDxhatXhat = 0;
    for (let j = 0; j < d; j++) {
      const xhat = (f[row + j] - m) * r;
      const dxhat = f[drow + j] * f[g + j];
      sumDxhat += dxhat;
      sumDxhatXhat += dxhat * xhat;
      f[dg + j] += f[drow + j] * xhat;
      f[db + j] += f[drow + j];
    }
    sumDxhat /= d;
    sumDxhatXhat /= d;
    const o = dx + i * d;
    for (let j = 0; j < d; j++) {
      const xhat = (f[row + j] - m) * r;
      f[o + j] += r * (f[drow + j] * f[g + j] - sumDxhat - xhat * sumDxhatXhat);
    }
  }
}

const GELU_C = Math.sqrt(2 / Math.PI);

/** tanh through one exp: noticeably faster than Math.tanh in V8, and exact to float32 here. */
function fastTanh(y: number): number {
  return 1 - 2 / (Math.exp(2 * y) + 1);
}

/** tanh approximation of GELU (as in GPT-2); the tanh values are kept for the backward pass. */
export function geluForward(f: Float32Array, u: number, out: number, tanhOut: number, n: number): void {
  for (let i = 0; i < n; i++) {
    const x = f[u + i];
    const t = fastTanh(GELU_C * (x + 0.044715 * x * x * x));
    f[tanhOut + i] = t;
    f[out + i] = 0.5 * x * (1 + t);
  }
}

export function geluBackward(f: Float32Array, u: number, tanh: number, dout: number, du: number, n: number): void {
  for (let i = 0; i < n; i++) {
    const x = f[u + i];
    const t = f[tanh + i];
    const dInner = GELU_C * (1 + 3 * 0.044715 * x * x);
    f[du + i] += f[dout + i] * (0.5 * (1 + t) + 0.5 * x * (1 - t * t) * dInner);
  }
}

/** out[M, n] += bias[n] broadcast over rows. */
export function addBias(f: Float32Array, out: number, bias: number, M: number, n: number): void {
  for (let i = 0; i < M; i++) {
    const o = out + i * n;
    for (let j = 0; j < n; j++) f[o + j] += f[bias + j];
  }
}

/** dbias[n] += column sums of dout[M, n]. */
export function biasBackward(f: Float32Array, dout: number, dbias: number, M: number, n: number): void {
  for (let i = 0; i < M; i++) {
    const o = dout + i * n;
    for (let j = 0; j < n; j++) f[dbias + j] += f[o + j];
  }
}

export interface AttentionShape {
  B: number;
  T: number;
  H: number;
  /** Head width; the model width is H * hd. */
  hd: number;
}

/**
 * Causal multi-head attention. qkv rows are [q | k | v] (each H*hd wide) per position;
 * probs is [B, H, T, T] (only j <= i filled); out rows are the heads concatenated.
 */
export function attentionForward(f: Float32Array, qkv: number, probs: number, out: number, s: AttentionShape): void {
  const { B, T, H, hd } = s;
  const d = H * hd;
  const stride = 3 * d;
  const scale = 1 / Math.sqrt(hd);
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < H; h++) {
      for (let i = 0; i < T; i++) {
        const q = qkv + (b * T + i) * stride + h * hd;
        const p = probs + ((b * H + h) * T + i) * T;
        let max = -Infinity;
        for (let j = 0; j <= i; j++) {
          const k = qkv + (b * T + j) * stride + d + h * hd;
          let dot = 0;
          for (let c = 0; c < hd; c++) dot += f[q + c] * f[k + c];
          dot *= scale;
          f[p + j] = dot;
          if (dot > max) max = dot;
        }
        let sum = 0;
        for (let j = 0; j <= i; j++) {
          const e = Math.exp(f[p + j] - max);
          f[p + j] = e;
          sum += e;
        }
        const o = out + (b * T + i) * d + h * hd;
        for (let c = 0; c < hd; c++) f[o + c] = 0;
        for (let j = 0; j <= i; j++) {
          const w = f[p + j] / sum;
          f[p + j] = w;
          const v = qkv + (b * T + j) * stride + 2 * d + h * hd;
          for (let c = 0; c < hd; c++) f[o + c] += w * f[v + c];
        }
      }
    }
  }
}

export function attentionBackward(
  f: Float32Array, qkv: number, probs: number, dout: number, dqkv: number, s: AttentionShape, scratch: Float32Array,
): void {
  const { B, T, H, hd } = s;
  const d = H * hd;
  const stride = 3 * d;
  const scale = 1 / Math.sqrt(hd);
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < H; h++) {
      for (let i = 0; i < T; i++) {
        const p = probs + ((b * H + h) * T + i) * T;
        const dO = dout + (b * T + i) * d + h * hd;
        let weighted = 0;
        for (let j = 0; j <= i; j++) {
          const v = qkv + (b * T + j) * stride + 2 * d + h * hd;
          const dv = dqkv + (b * T + j) * stride + 2 * d + h * hd;
          const w = f[p + j];
          let dp = 0;
          for (let c = 0; c < hd; c++) {
            dp += f[dO + c] * f[v + c];
            f[dv + c] += w * f[dO + c];
          }
          scratch[j] = dp;
          weighted += w * dp;
        }
        const q = qkv + (b * T + i) * stride + h * hd;
        const dq = dqkv + (b * T + i) * stride + h * hd;
        for (let j = 0; j <= i; j++) {
          const ds = f[p + j] * (scratch[j] - weighted) * scale;
          if (ds === 0) continue;
          const k = qkv + (b * T + j) * stride + d + h * hd;
          const dk = dqkv + (b * T + j) * stride + d + h * hd;
          for (let c = 0; c < hd; c++) {
            f[dq + c] += ds * f[k + c];
            f[dk + c] += ds * f[q + c];
          }
        }
      }
    }
  }
}

/**
 * Weighted mean cross-entropy over rows with weight > 0. Writes d(loss)/d(logits) into dlogits
 * (overwriting) and returns the loss. `normalizer` is the total weight the mean divides by.
 */
export function softmaxCrossEntropy(
  f: Float32Array, logits: number, targets: Int32Array, weights: Float32Array, dlogits: number,
  M: number, V: number, normalizer: number,
): number {
  let loss = 0;
  for (let i = 0; i < M; i++) {
    const l = logits + i * V;
    const dl = dlogits + i * V;
    const w = weights[i];
    if (w === 0) {
      f.fill(0, dl, dl + V);
      continue;
    }
    let max = -Infinity;
    for (let j = 0; j < V; j++) if (f[l + j] > max) max = f[l + j];
    let sum = 0;
    for (let j = 0; j < V; j++) sum += Math.exp(f[l + j] - max);
    const logSum = Math.log(sum) + max;
    const t = targets[i];
    loss += (w * (logSum - f[l + t])) / normalizer;
    for (let j = 0; j < V; j++) f[dl + j] = (w * Math.exp(f[l + j] - logSum)) / normalizer;
    f[dl + t] -= w / normalizer;
  }
  return loss;
}
