// The exact pass over a table that lives in shared Wasm memory, for pool
// workers that read it in place. Its own entry point, compiled against an
// imported shared memory: it keeps no state in memory (no data segments, no
// allocator), so any number of instances can run on the same memory. Every
// buffer it writes is scratch space the host assigns to one call.

import { accumulateBlocks, lowBitsOf, prepareWeightVectors, tableSum, weightVectorBytes } from './exact/membership';
import { shapleyMembershipWeights } from './exact/weights';

const INDEX_BANZHAF: i32 = 1;
const MAX_PLAYERS: i32 = 32;

/**
 * Bytes of scratch one call needs for n players: a block of zeros (streams
 * without a block read it; see accumulateBlocks), coefficients, then the
 * weight vectors.
 */
export function scratchBytes(n: i32): usize {
  return (<usize>8 << lowBitsOf(n)) + (<usize>(MAX_PLAYERS + 1) << 3) + weightVectorBytes(n);
}

/** Where the coefficients start, after the block of zeros. */
function coefficientsOf(n: i32, scratch: usize): usize {
  return scratch + (<usize>8 << lowBitsOf(n));
}

/** Fills `scratch` with zeros and, for the Shapley (index 0) pass, the weight vectors; the Banzhaf (index 1) pass needs none. */
export function prepareMembership(n: i32, index: i32, scratch: usize): void {
  memory.fill(scratch, 0, scratchBytes(n));
  if (index == INDEX_BANZHAF) return;
  const coef = coefficientsOf(n, scratch);
  shapleyMembershipWeights(n, coef);
  prepareWeightVectors(n, coef, coef + (<usize>(MAX_PLAYERS + 1) << 3));
}

/**
 * Partial sums of the blocks [firstHi, firstHi + count) starting at `blocks`,
 * as membershipChunk in exact-chunks.ts writes them: out = [total, credit[n],
 * lows[2^lowBits]]. Needs prepareMembership with the same index on the same scratch.
 */
export function membershipChunkShared(blocks: usize, n: i32, firstHi: f64, count: i32, index: i32, scratch: usize, out: usize): void {
  const lowSize = 1 << lowBitsOf(n);
  const credit = out + 8;
  const lows = credit + (<usize>n << 3);
  memory.fill(credit, 0, <usize>(n + lowSize) << 3);
  const vectors: usize = index == INDEX_BANZHAF ? 0 : coefficientsOf(n, scratch) + (<usize>(MAX_PLAYERS + 1) << 3);
  store<f64>(out, accumulateBlocks(blocks, n, <u64>firstHi, <u64>count, credit, lows, vectors, scratch));
}

/** The floor for benchmarks: reads `count` entries at `values` once, as the pass must (tableSum). */
export function sumShared(values: usize, count: i32): f64 {
  return tableSum(values, <usize>count);
}
