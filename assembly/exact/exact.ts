// Exact Shapley and Banzhaf values from a full value table v[mask], in one
// streaming pass.
//
// The pass computes P[i] = sum over S containing i of c(|S|) * r(S) for
// size-dependent weights c, where r = v - ref is the table less an additive
// reference game (see blocks.ts: it keeps small credits beside large ones
// accurate); an index of v is then a_i plus that of r. The table is read as
// blocks of 256 coalitions that share their high bits: inside a block the
// weight of an entry depends only on popcount(high) + popcount(low), so one
// precomputed weight vector per popcount(high) turns the block into SIMD
// multiplies. Each block's products are summed per row and per column
// (scanBlock), which give the low players' shares, and the block's total is
// credited to its high players. The cost per entry is a load, a subtract of
// the reference, a multiply and two adds, independent of n.

import { at, increments, LOW_BITS, LOW_SIZE, lowShare, prepareReference, referenceOf, scanBlock } from './blocks';
import { prepareWeightVectors } from './membership';
import { shapleyMembershipWeights } from './weights';

const MAX_PLAYERS: i32 = 32;

const coefficients = memory.data((MAX_PLAYERS + 1) << 3, 16);
const weightVectors = memory.data((MAX_PLAYERS + 1) * LOW_SIZE * 8, 16);
/** A table of fewer than 8 players padded to 8, and its values. */
const padded = memory.data(LOW_SIZE * 8, 16);
const paddedOut = memory.data(LOW_BITS * 8, 16);
/** What `weightVectors` holds (a caller's key), or -1: lets repeated chunk calls skip preparing them. */
let vectorsKey: i32 = -1;

/**
 * out[i] = sum over S containing i of coef[|S|] * r(S) (n >= 8), with
 * r = v - ref as prepared by prepareReference. Returns the sum over all S.
 */
function membershipSums(table: usize, n: i32, coef: usize, out: usize): f64 {
  prepareWeightVectors(n, coef, weightVectors);
  vectorsKey = -1;
  memory.fill(out, 0, <usize>n << 3);
  const blocks: u64 = <u64>1 << <u64>(n - LOW_BITS);
  let total: f64 = 0;
  for (let hi: u64 = 0; hi < blocks; hi++) {
    const vector = weightVectors + <usize>(<i32>popcnt(hi) * LOW_SIZE) * 8;
    const sum = scanBlock(table + (<usize>(hi << <u64>LOW_BITS) << 3), vector, referenceOf(hi, LOW_BITS));
    total += sum;
    for (let i = 0; i < LOW_BITS; i++) store<f64>(at(out, i), load<f64>(at(out, i)) + lowShare(i));
    let bits = hi;
    while (bits != 0) {
      const slot = at(out, LOW_BITS + <i32>ctz(bits));
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
 * Exact Shapley (or Banzhaf) values of the n-player game tabulated at
 * `table` into out[0..n). Returns the pass's weighted total: every weight is
 * positive, so it is finite exactly when every entry is (and no sum
 * overflows), which lets the host check the table's finiteness without a
 * pass of its own.
 */
function exactIndex(table: usize, n: i32, banzhaf: bool, out: usize): f64 {
  if (n == 0) return 0;
  if (n < LOW_BITS) {
    // Players n..7 join as null players (v(S + k) = v(S)), which change no
    // other player's Shapley or Banzhaf value: one block of 8 players.
    const players = (1 << n) - 1;
    for (let lo = 0; lo < LOW_SIZE; lo++) store<f64>(at(padded, lo), load<f64>(at(table, lo & players)));
    const total = exactIndex(padded, LOW_BITS, banzhaf, paddedOut);
    memory.copy(out, paddedOut, <usize>n << 3);
    return total;
  }
  const base = prepareReference(table, n);
  if (!isFinite(base)) {
    // Marginal contributions that overflow (or a NaN): values and total not finite, for the host to report.
    for (let i = 0; i < n; i++) store<f64>(at(out, i), base);
    return base;
  }
  if (banzhaf) {
    for (let k = 0; k <= n; k++) store<f64>(at(coefficients, k), 1.0);
  } else {
    shapleyMembershipWeights(n, coefficients);
  }
  const total = membershipSums(table, n, coefficients, out);
  // Banzhaf: beta_i(r) = (2 P_i - sum_S r) / 2^(n-1). Shapley: phi_i(r) =
  // P_i - K, where K (the weight of coalitions without i) is the same for
  // every player and follows from efficiency: sum phi = r(N) - r(empty).
  let factor: f64 = 1;
  let shared: f64;
  if (banzhaf) {
    factor = 2.0 / <f64>(<u64>1 << <u64>(n - 1));
    shared = total * (factor / 2);
  } else {
    let sumP: f64 = 0;
    for (let i = 0; i < n; i++) sumP += load<f64>(at(out, i));
    const last: u64 = (<u64>1 << <u64>n) - 1;
    const full = load<f64>(table + (<usize>last << 3)) - (base + referenceOf(last, 0));
    const empty = load<f64>(table) - base;
    shared = (sumP - full + empty) / <f64>n;
  }
  for (let i = 0; i < n; i++) store<f64>(at(out, i), load<f64>(at(increments, i)) + (factor * load<f64>(at(out, i)) - shared));
  return total;
}

/** Exact Shapley values of the n-player game at `table` into out[0..n); returns the pass's total (see exactIndex). */
export function shapleyExact(table: usize, n: i32, out: usize): f64 {
  return exactIndex(table, n, false, out);
}

/** Exact Banzhaf values of the n-player game at `table` into out[0..n); returns the pass's total (see exactIndex). */
export function banzhafExact(table: usize, n: i32, out: usize): f64 {
  return exactIndex(table, n, true, out);
}
