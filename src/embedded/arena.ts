/**
 * All tensors of one model live in a single WebAssembly.Memory, so the WASM kernels read and
 * write them in place. A tensor is an offset (in floats) into the arena; `arena.f32` is the view.
 * Growing the memory replaces the view, so code re-reads `arena.f32` after any `alloc`.
 */
const PAGE_BYTES = 65536;
/** 16-byte alignment keeps every tensor start on a v128 boundary. */
const ALIGN_FLOATS = 4;

export class Arena {
  readonly memory: WebAssembly.Memory;
  f32: Float32Array;
  private top = 0;

  constructor(initialFloats = 1 << 16) {
    const pages = Math.max(1, Math.ceil((initialFloats * 4) / PAGE_BYTES));
    this.memory = new WebAssembly.Memory({ initial: pages });
    this.f32 = new Float32Array(this.memory.buffer);
  }

  /** Reserves `n` zeroed floats and returns their offset. */
  alloc(n: number): number {
    const offset = this.top;
    this.top = Math.ceil((offset + n) / ALIGN_FLOATS) * ALIGN_FLOATS;
    const neededBytes = this.top * 4;
    if (neededBytes > this.memory.buffer.byteLength) {
      this.memory.grow(Math.ceil((neededBytes - this.memory.buffer.byteLength) / PAGE_BYTES));
      this.f32 = new Float32Array(this.memory.buffer);
    }
    this.f32.fill(0, offset, offset + n);
    return offset;
  }

  /** Float offset of the next allocation; `release(mark)` frees everything allocated after it. */
  mark(): number {
    return this.top;
  }

  release(mark: number): void {
    this.top = mark;
  }

  view(offset: number, n: number): Float32Array {
    return this.f32.subarray(offset, offset + n);
  }
}
