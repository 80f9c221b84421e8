// Blocks of this thread's Wasm memory that exact calls keep between calls:
// the copy of a table, the results, a small table padded to 8 players, one
// chunk of a table streamed through. Allocating and releasing a 2^n-entry
// block on every call costs more than the pass over it at n >= 20 (fresh
// pages to fault in, memory to grow); a kept block is grown when a larger
// table comes and reused otherwise, so alternating sizes never allocate
// again after the largest.
import type { KernelExports } from './module.js';
import { allocateAlignedBlock } from './window.js';

export type KeptRole = 'table' | 'results' | 'padded' | 'chunk';

interface Kept {
  /** What the allocator returned, to release. */
  base: number;
  /** The block's start, on a 4 KiB page. */
  pointer: number;
  bytes: number;
}

const kept = new WeakMap<KernelExports, Partial<Record<KeptRole, Kept>>>();

/** Bytes the results block holds from the start: an n x n matrix of interactions at 26 players and more. */
export const RESULT_BLOCK_BYTES = 8192;

/** The kept block for `role`, at least `bytes` long, starting on a 4 KiB page (its contents are whatever the last call left). */
export function keptBlock(core: KernelExports, role: KeptRole, bytes: number): number {
  let blocks = kept.get(core);
  if (!blocks) kept.set(core, (blocks = {}));
  const block = blocks[role];
  if (block && block.bytes >= bytes) return block.pointer;
  const size = Math.max(bytes, role === 'results' ? RESULT_BLOCK_BYTES : 0);
  if (block) {
    core.release(block.base);
    delete blocks[role];
  }
  const { base, pointer } = allocateAlignedBlock(core, size);
  blocks[role] = { base, pointer, bytes: size };
  return pointer;
}
