// The exact pass over a table in shared Wasm memory (assembly/shared-exact.ts):
// compiled once on the thread that owns the pool, instantiated by a worker
// for each call on the memory the table lives in.
import { decodeBytes } from './module.js';

/** The raw exports; pointers are byte offsets into the shared memory. */
export interface SharedExactExports {
  scratchBytes(n: number): number;
  prepareMembership(n: number, index: number, scratch: number): void;
  membershipChunkShared(blocks: number, n: number, firstHi: number, count: number, index: number, scratch: number, out: number): void;
  sumShared(values: number, count: number): number;
}

let compiled: Promise<WebAssembly.Module> | undefined;

/** The compiled module, compiled on first use; its bytes load with it, so entries without a pool never fetch them. */
export function sharedExactModule(): Promise<WebAssembly.Module> {
  compiled ??= import('./shared-binary.js').then(({ sharedWasmBytes }) => WebAssembly.compile(decodeBytes(sharedWasmBytes) as BufferSource));
  return compiled;
}

export async function instantiateSharedExact(module: WebAssembly.Module, memory: WebAssembly.Memory): Promise<SharedExactExports> {
  const instance = await WebAssembly.instantiate(module, { env: { memory } });
  return instance.exports as unknown as SharedExactExports;
}
