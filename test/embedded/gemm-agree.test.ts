import { describe, expect, it } from 'vitest';
import { Arena } from '../../src/embedded/arena.ts';
import { createGemm, wasmSimdAvailable } from '../../src/embedded/gemm.ts';
import { Rng } from '../../src/embedded/rng.ts';

/** Plain triple loops in float64: the reference both kernels are held to. */
function reference(A: Float32Array, B: Float32Array, M: number, K: number, N: number, op: 'nn' | 'nt' | 'tn'): Float64Array {
  const rows = op === 'tn' ? K : M;
  const inner = op === 'tn' ? M : K;
  const C = new Float64Array(rows * N);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let p = 0; p < inner; p++) {
        const a = op === 'tn' ? A[p * K + i] : A[i * K + p];
        const b = op === 'nt' ? B[j * K + p] : op === 'tn' ? B[p * N + j] : B[p * N + j];
        s += a * b;
      }
      C[i * N + j] = s;
    }
  }
  return C;
}

describe('GEMM kernels', () => {
  it('this engine runs the WASM SIMD kernels, and STARLOOP_EMBEDDED_GEMM=js selects the fallback', () => {
    expect(wasmSimdAvailable()).toBe(true);
    expect(createGemm(new Arena()).kind).toBe('wasm');
    process.env.STARLOOP_EMBEDDED_GEMM = 'js';
    try {
      expect(createGemm(new Arena()).kind).toBe('js');
    } finally {
      delete process.env.STARLOOP_EMBEDDED_GEMM;
    }
  });

  // Odd sizes exercise the 16-wide, 4-wide and scalar tails of the kernels.
  describe.each([[5, 7, 19], [3, 16, 36], [17, 64, 100], [1, 9, 3]])('M=%i K=%i N=%i', (M, K, N) => {
    it.each(['nn', 'nt', 'tn'] as const)('%s: WASM and JS agree with the reference, with and without accumulate', (op) => {
      const rng = new Rng(M * 1000 + K * 10 + N);
      const aSize = M * K;
      const bSize = op === 'nt' ? N * K : op === 'tn' ? M * N : K * N;
      const cSize = (op === 'tn' ? K : M) * N;
      const A = Float32Array.from({ length: aSize }, () => rng.normal());
      const B = Float32Array.from({ length: bSize }, () => rng.normal());
      const C0 = Float32Array.from({ length: cSize }, () => rng.normal());
      const want = reference(A, B, M, K, N, op);
      for (const kind of ['wasm', 'js'] as const) {
        const arena = new Arena();
        const gemm = createGemm(arena, kind);
        const [a, b, c] = [arena.alloc(aSize), arena.alloc(bSize), arena.alloc(cSize)];
        arena.f32.set(A, a);
        arena.f32.set(B, b);
        arena.f32.set(C0, c);
        gemm[op](a, b, c, M, K, N, false);
        for (let i = 0; i < cSize; i++) expect(arena.f32[c + i]).toBeCloseTo(want[i], 3);
        arena.f32.set(C0, c);
        gemm[op](a, b, c, M, K, N, true);
        for (let i = 0; i < cSize; i++) expect(arena.f32[c + i]).toBeCloseTo(want[i] + C0[i], 3);
      }
    });
  });
});
