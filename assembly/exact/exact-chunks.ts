// The exact pass split into chunks of high-bit blocks, so workers can each
// take a range of the table. Every chunk's partial sums start from zero and
// the host merges them in chunk order: the result is the same however the
// chunks are spread over workers.

import { accumulateBlocks, accumulateCachedBlocks, lowBitsOf } from './membership';
import { shapleyWeightVectors } from './exact';
import { LOW_SIZE } from './blocks';

const MAX_PLAYERS: i32 = 32;
const INDEX_BANZHAF: i32 = 1;
const chunkCoefficients = memory.data((MAX_PLAYERS + 1) << 3, 16);
/** A block of zeros, read by the streams accumulateBlocks has no block for (tables of 1 or 2 blocks). */
const zeroBlock = memory.data(LOW_SIZE << 3, 16);

/**
 * Partial sums over the blocks [firstHi, firstHi + count) whose entries
 * (count * 2^lowBits values) start at `chunk`, for the Shapley (index 0) or
 * Banzhaf (index 1) weights. Writes out = [total, credit[n], lows[2^lowBits]]:
 * the weighted sum, the part of each player's sum that comes from high bits,
 * and the weighted sum per low pattern. `blockSums`: 0 to read the chunk
 * block by block, as pool workers do on copied and shared tables alike (so
 * their results are bit-identical); or, for a chunk just copied into cache,
 * room for 16 bytes a block, and a Shapley chunk is read pattern-major
 * (accumulateCachedBlocks: the same products, summed in another order). The
 * caller passes block sums only for n >= 3 (runs of 8 patterns); the check
 * is left to it, since the Wasm size budget has no room for it here.
 */
export function membershipChunk(chunk: usize, n: i32, firstHi: f64, count: i32, index: i32, out: usize, blockSums: usize): void {
  const lowSize = 1 << lowBitsOf(n);
  // Banzhaf weighs every coalition alike: no weight vectors (0, see accumulateBlocks).
  let vectors: usize = 0;
  if (index != INDEX_BANZHAF) {
    vectors = shapleyWeightVectors(n, chunkCoefficients);
  }
  const credit = out + 8;
  const lows = credit + (<usize>n << 3);
  memory.fill(credit, 0, <usize>(n + lowSize) << 3);
  const sum = blockSums != 0 && vectors != 0
    ? accumulateCachedBlocks(chunk, n, <u64>firstHi, <u64>count, credit, lows, vectors, blockSums)
    : accumulateBlocks(chunk, n, <u64>firstHi, <u64>count, credit, lows, vectors, zeroBlock);
  store<f64>(out, sum);
}
