// The exact pass in chunks of high-bit blocks (assembly/exact/exact-chunks.ts):
// the chunk plan, and the deterministic merge of per-chunk partial sums.
// Pool workers each take ranges of chunks; the calling thread streams a large
// Float64Array through Wasm memory chunk by chunk (streamedPass in exact.ts).

/** Table entries per chunk at most: 512 KiB, so a chunk copied into Wasm memory is still in cache when the kernel reads it. */
export const CHUNK_ENTRIES = 2 ** 16;
const LOW_BITS = 8;

export type IndexKind = 'shapley' | 'banzhaf';
export const INDEX_ID: Record<IndexKind, number> = { shapley: 0, banzhaf: 1 };

/** An exact pass's output and its weighted total, finite exactly when every table entry is (and no sum overflows). */
export interface ExactPass {
  values: Float64Array;
  total: number;
}

export interface ChunkPlan {
  /** Bits of a mask inside a block (as in assembly/exact.ts). */
  lowBits: number;
  /** Blocks of 2^lowBits entries per chunk. */
  chunkBlocks: number;
  chunkEntries: number;
  chunks: number;
  /** Length of one chunk's partial sums: total, credit[n], lows[2^lowBits]. */
  partialLength: number;
}

export function planChunks(n: number): ChunkPlan {
  const lowBits = Math.min(n, LOW_BITS);
  const chunkEntries = Math.min(CHUNK_ENTRIES, 2 ** n);
  return {
    lowBits,
    chunkBlocks: chunkEntries / 2 ** lowBits,
    chunkEntries,
    chunks: 2 ** n / chunkEntries,
    partialLength: 1 + n + 2 ** lowBits,
  };
}

/** Adds one chunk's partial sums (at `offset` in `partials`) to `merged`; chunks go in in chunk order. */
export function addChunkPartial(merged: Float64Array, partials: Float64Array, offset = 0): void {
  for (let k = 0; k < merged.length; k++) merged[k] += partials[offset + k];
}

/**
 * The index values and the pass's total from the partial sums of every
 * chunk added up in chunk order (addChunkPartial). `empty` and `full` are
 * v(empty) and v(N).
 */
export function indexFromPartials(merged: Float64Array, n: number, index: IndexKind, empty: number, full: number): ExactPass {
  const plan = planChunks(n);
  const total = merged[0];
  const sums = merged.slice(1, 1 + n);
  const lows = merged.subarray(1 + n);
  for (let lo = 1; lo < lows.length; lo++) {
    for (let i = 0; i < plan.lowBits; i++) if (lo & (1 << i)) sums[i] += lows[lo];
  }
  if (index === 'banzhaf') return { values: sums.map((p) => (2 * p - total) / 2 ** (n - 1)), total };
  // As in shapleyExact: phi_i = P_i - K, with K fixed by efficiency.
  const sumP = sums.reduce((a, b) => a + b, 0);
  const shared = (sumP - full + empty) / n;
  return { values: sums.map((p) => p - shared), total };
}

/**
 * Merges the partial sums of all chunks (in chunk order, so the result does
 * not depend on which worker computed which chunk) into the index values and
 * the pass's total.
 */
export function mergeChunkPartials(partials: Float64Array, n: number, index: IndexKind, empty: number, full: number): ExactPass {
  const plan = planChunks(n);
  const merged = new Float64Array(plan.partialLength);
  for (let c = 0; c < plan.chunks; c++) addChunkPartial(merged, partials, c * plan.partialLength);
  return indexFromPartials(merged, n, index, empty, full);
}
