// Typed arrays in Wasm memory for one kernel call: allocate, fill, call,
// copy out, close. Views are built after every allocation, since allocating
// may grow (and so detach) the memory buffer.
import type { KernelExports } from './module.js';

/** The allocator's largest block: 1 GiB less its header. */
export const MAX_BLOCK_BYTES = 2 ** 30 - 16;

/** Allocates a block of at least `bytes` (16 at least); a RangeError when it does not fit. */
export function allocateBlock(core: KernelExports, bytes: number): number {
  const size = Math.max(16, bytes);
  if (size > MAX_BLOCK_BYTES) {
    throw new RangeError(`agent-credit: ${size} bytes do not fit in one WebAssembly block (at most ${MAX_BLOCK_BYTES})`);
  }
  return allocatingCall(`a block of ${size} bytes`, () => core.allocate(size));
}

/**
 * The alignment of blocks that kernels stream through: 4 KiB. The allocator
 * aligns to 16 bytes only. A block that starts mid-line costs the
 * pattern-major pass two cache lines for every run of 8 values it reads; one
 * that starts mid-page makes the copy into it and the pass over it slower
 * still (addresses 4 KiB apart alias in the store buffer): a streamed chunk
 * at 1,792 bytes into a page took 2.2 ms at n = 22, 1.9 ms on a page.
 */
export const STREAM_ALIGN_BYTES = 4096;

/** A block for a kernel to stream through: `pointer` on a page, `base` what to release. */
export interface AlignedBlock {
  base: number;
  pointer: number;
}

/** A block of at least `bytes` whose start is on a 4 KiB page (see STREAM_ALIGN_BYTES). */
export function allocateAlignedBlock(core: KernelExports, bytes: number): AlignedBlock {
  const base = allocateBlock(core, bytes + STREAM_ALIGN_BYTES - 16);
  return { base, pointer: base + ((STREAM_ALIGN_BYTES - (base % STREAM_ALIGN_BYTES)) % STREAM_ALIGN_BYTES) };
}

/**
 * Runs a core call that allocates memory (a block, or a sampler's state):
 * when the allocation fails, the core traps, and the caller gets a
 * RangeError that says what could not be allocated.
 */
export function allocatingCall<T>(what: string, call: () => T): T {
  try {
    return call();
  } catch (error) {
    if (!(error instanceof WebAssembly.RuntimeError)) throw error;
    throw new RangeError(`agent-credit: could not allocate WebAssembly memory for ${what} (the core stopped with: ${error.message})`, { cause: error });
  }
}

export class WasmWindow {
  private readonly pointers: number[] = [];

  constructor(private readonly core: KernelExports) {}

  /** Allocates room for `count` elements of `bytesPerElement`; returns its slot. */
  add(count: number, bytesPerElement = 8): number {
    let pointer: number;
    try {
      pointer = allocateBlock(this.core, count * bytesPerElement);
    } catch (error) {
      this.close();
      throw error;
    }
    this.pointers.push(pointer);
    return this.pointers.length - 1;
  }

  pointer(slot: number): number {
    return this.pointers[slot];
  }

  f64(slot: number, count: number): Float64Array {
    return new Float64Array(this.core.memory.buffer, this.pointers[slot], count);
  }

  i32(slot: number, count: number): Int32Array {
    return new Int32Array(this.core.memory.buffer, this.pointers[slot], count);
  }

  u32(slot: number, count: number): Uint32Array {
    return new Uint32Array(this.core.memory.buffer, this.pointers[slot], count);
  }

  /** Frees every block of this window. */
  close(): void {
    for (const pointer of this.pointers.splice(0)) this.core.release(pointer);
  }
}

/** Runs `use` with a fresh window and always frees it. */
export function withWindow<T>(core: KernelExports, use: (window: WasmWindow) => T): T {
  const window = new WasmWindow(core);
  try {
    return use(window);
  } finally {
    window.close();
  }
}
