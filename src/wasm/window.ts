// Lays out typed arrays in the I/O window for one kernel call. Views are
// rebuilt after `reserve`, which may grow (and so detach) Wasm memory.
import type { KernelExports } from './module.js';

export class WasmWindow {
  private offsets: number[] = [];
  private size = 0;

  constructor(private readonly core: KernelExports) {}

  /** Plans an array of `count` elements of `bytesPerElement`; returns its slot. */
  add(count: number, bytesPerElement = 8): number {
    this.size = (this.size + 15) & ~15;
    this.offsets.push(this.size);
    this.size += count * bytesPerElement;
    return this.offsets.length - 1;
  }

  /** Reserves the planned bytes; returns the base address. */
  open(): number {
    // Wasm32 addresses stop at 4 GiB; the static data sits below the window.
    const base = this.size < 2 ** 32 - 2 ** 20 ? this.core.reserve(this.size) : 0;
    if (base === 0) {
      throw new RangeError(`agent-credit: could not reserve ${this.size} bytes of WebAssembly memory`);
    }
    this.base = base;
    return base;
  }

  private base = 0;

  pointer(slot: number): number {
    return this.base + this.offsets[slot];
  }

  f64(slot: number, count: number): Float64Array {
    return new Float64Array(this.core.memory.buffer, this.pointer(slot), count);
  }

  i32(slot: number, count: number): Int32Array {
    return new Int32Array(this.core.memory.buffer, this.pointer(slot), count);
  }
}
