import { GEMM_WASM_BASE64 } from './wasm/gemm-bytes.ts';
import type { Arena } from './arena.ts';

/**
 * Matrix products over arena offsets (in floats), row-major:
 * nn: C[M,N] (+)= A[M,K]·B[K,N];  nt: C[M,N] (+)= A[M,K]·B[N,K]ᵀ;  tn: C[K,N] (+)= A[M,K]ᵀ·B[M,N].
 */
export interface Gemm {
  readonly kind: 'wasm' | 'js';
  nn(a: number, b: number, c: number, M: number, K: number, N: number, accumulate: boolean): void;
  nt(a: number, b: number, c: number, M: number, K: number, N: number, accumulate: boolean): void;
  tn(a: number, b: number, c: number, M: number, K: number, N: number, accumulate: boolean): void;
}

const TRANSPOSE_SCRATCH_FLOATS = 1 << 16;

export type GemmKind = 'wasm' | 'js' | 'auto';

let wasmModule: WebAssembly.Module | null | undefined;

function compiledWasm(): WebAssembly.Module | null {
  if (wasmModule !== undefined) return wasmModule;
  const bytes = Buffer.from(GEMM_WASM_BASE64, 'base64');
  // Engines without SIMD reject the module at validation; they get the JS kernels instead.
  wasmModule = WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
  return wasmModule;
}

export function wasmSimdAvailable(): boolean {
  return compiledWasm() !== null;
}

/** `auto` picks WASM SIMD when the engine supports it; STARLOOP_EMBEDDED_GEMM=js forces the fallback. */
export function createGemm(arena: Arena, kind: GemmKind = 'auto'): Gemm {
  const wanted = kind === 'auto' ? (process.env.STARLOOP_EMBEDDED_GEMM === 'js' ? 'js' : 'auto') : kind;
  const module = wanted === 'js' ? null : compiledWasm();
  if (module === null) {
    if (wanted === 'wasm') throw new Error('WebAssembly SIMD is not available in this engine');
    return jsGemm(arena);
  }
  const instance = new WebAssembly.Instance(module, { env: { memory: arena.memory } });
  type Kernel = (a: number, b: number, c: number, M: number, K: number, N: number, acc: number) => void;
  const exports = instance.exports as {
    gemm_nn: Kernel; gemm_nt: Kernel; gemm_tn: Kernel; transpose: (src: number, dst: number, rows: number, cols: number) => void;
  };
  // A·Bᵀ is faster as a transpose of B (a weight matrix, small) plus the blocked A·B kernel than
  // as one dot product per output. The choice depends on B's size only, never on M, so a row's
  // result does not depend on how many rows were batched with it. The scratch is reserved once.
  const scratch = arena.alloc(TRANSPOSE_SCRATCH_FLOATS);
  return {
    kind: 'wasm',
    nn: (a, b, c, M, K, N, acc) => exports.gemm_nn(a * 4, b * 4, c * 4, M, K, N, acc ? 1 : 0),
    nt(a, b, c, M, K, N, acc) {
      if (N * K <= TRANSPOSE_SCRATCH_FLOATS) {
        exports.transpose(b * 4, scratch * 4, N, K);
        exports.gemm_nn(a * 4, scratch * 4, c * 4, M, K, N, acc ? 1 : 0);
      } else {
        exports.gemm_nt(a * 4, b * 4, c * 4, M, K, N, acc ? 1 : 0);
      }
    },
    tn: (a, b, c, M, K, N, acc) => exports.gemm_tn(a * 4, b * 4, c * 4, M, K, N, acc ? 1 : 0),
  };
}

function jsGemm(arena: Arena): Gemm {
  return {
    kind: 'js',
    nn(a, b, c, M, K, N, acc) {
      const f = arena.f32;
      for (let i = 0; i < M; i++) {
        const crow = c + i * N;
        if (!acc) f.fill(0, crow, crow + N);
        for (let k = 0; k < K; k++) {
          const s = f[a + i * K + k];
          const brow = b + k * N;
          for (let j = 0; j < N; j++) f[crow + j] += s * f[brow + j];
        }
      }
    },
    nt(a, b, c, M, K, N, acc) {
      const f = arena.f32;
      for (let i = 0; i < M; i++) {
        const arow = a + i * K;
        for (let j = 0; j < N; j++) {
          const brow = b + j * K;
          let s = 0;
          for (let k = 0; k < K; k++) s += f[arow + k] * f[brow + k];
          f[c + i * N + j] = acc ? f[c + i * N + j] + s : s;
        }
      }
    },
    tn(a, b, c, M, K, N, acc) {
      const f = arena.f32;
      if (!acc) f.fill(0, c, c + K * N);
      for (let m = 0; m < M; m++) {
        const brow = b + m * N;
        for (let k = 0; k < K; k++) {
          const s = f[a + m * K + k];
          if (s === 0) continue;
          const crow = c + k * N;
          for (let j = 0; j < N; j++) f[crow + j] += s * f[brow + j];
        }
      }
    },
  };
}
