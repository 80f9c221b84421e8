// Exact indices from a full value table v[mask], in one streaming pass.
//
// The pass computes P[i] = sum over S containing i of c(|S|) * v(S) for any
// size-dependent weights c. The table is read as blocks of 2^LOW_BITS
// coalitions that share their high bits: inside a block the weight of each
// entry depends only on popcount(high) + popcount(low), so one precomputed
// weight vector per popcount(high) turns the block into a SIMD multiply.
// Products are summed two ways: per low pattern (an accumulator that stays in
// L1) and per block (a scalar credited to the block's high players). Each
// player's sum is then read off those two small arrays, so the cost per table
// entry is a load, a multiply and two adds, independent of n.

import { accumulateBlocks, lowBitsOf, prepareWeightVectors } from './membership';
import { shapleyMembershipWeights } from './weights';

const MAX_PLAYERS: i32 = 32;
const LOW_SIZE: i32 = 256;

const coefficients = memory.data((MAX_PLAYERS + 1) << 3, 16);
const weightVectors = memory.data((MAX_PLAYERS + 1) * LOW_SIZE * 8, 16);
const lowAccumulator = memory.data(LOW_SIZE * 8, 16);
/** What `weightVectors` holds (a caller's key), or -1: lets repeated chunk calls skip preparing them. */
let vectorsKey: i32 = -1;

/**
 * out[i] = sum over S with i in S of coef[|S|] * v(S), for i < n.
 * Returns the sum over all S of coef[|S|] * v(S).
 */
export function weightedMembershipSums(table: usize, n: i32, coef: usize, out: usize): f64 {
  const lowBits = lowBitsOf(n);
  const lowSize = 1 << lowBits;
  prepareWeightVectors(n, coef, weightVectors);
  vectorsKey = -1;
  memory.fill(lowAccumulator, 0, <usize>lowSize * 8);
  memory.fill(out, 0, <usize>n * 8);
  const total = accumulateBlocks(table, n, 0, <u64>1 << <u64>(n - lowBits), out, lowAccumulator, weightVectors);
  for (let lo = 0; lo < lowSize; lo++) {
    const sum = load<f64>(lowAccumulator + (<usize>lo << 3));
    let bits = lo;
    while (bits != 0) {
      const i = ctz(bits);
      const slot = out + (<usize>i << 3);
      store<f64>(slot, load<f64>(slot) + sum);
      bits &= bits - 1;
    }
  }
  return total;
}

/** The module's weight vectors, prepared for `coef` unless `key` (>= 0) says they already are. */
export function prepareOwnWeightVectors(n: i32, coef: usize, key: i32): usize {
  if (key < 0 || key != vectorsKey) prepareWeightVectors(n, coef, weightVectors);
  vectorsKey = key;
  return weightVectors;
}

/**
 * Exact Shapley values of the n-player game tabulated at `table` into
 * out[0..n). Returns the pass's weighted total: every weight is positive, so
 * it is finite exactly when every entry is (and no sum overflows), which
 * lets the host check the table's finiteness without a pass of its own.
 */
export function shapleyExact(table: usize, n: i32, out: usize): f64 {
  if (n == 0) return 0;
  shapleyMembershipWeights(n, coefficients);
  const total = weightedMembershipSums(table, n, coefficients, out);
  // phi_i = P_i - K, where K (the weight of coalitions without i) is the same
  // for every player and follows from efficiency: sum phi = v(N) - v(empty).
  let sumP: f64 = 0;
  for (let i = 0; i < n; i++) sumP += load<f64>(out + (<usize>i << 3));
  const full = load<f64>(table + (((<usize>1 << <usize>n) - 1) << 3));
  const empty = load<f64>(table);
  const shared = (sumP - full + empty) / <f64>n;
  for (let i = 0; i < n; i++) {
    const slot = out + (<usize>i << 3);
    store<f64>(slot, load<f64>(slot) - shared);
  }
  return total;
}

/** Exact Banzhaf values: beta_i = (2 * sum_{S with i} v - sum_S v) / 2^(n-1). Returns sum_S v (see shapleyExact). */
export function banzhafExact(table: usize, n: i32, out: usize): f64 {
  if (n == 0) return 0;
  for (let k = 0; k <= n; k++) store<f64>(coefficients + (<usize>k << 3), 1.0);
  const total = weightedMembershipSums(table, n, coefficients, out);
  const scale = 1.0 / <f64>(<u64>1 << <u64>(n - 1));
  for (let i = 0; i < n; i++) {
    const slot = out + (<usize>i << 3);
    store<f64>(slot, (2 * load<f64>(slot) - total) * scale);
  }
  return total;
}
