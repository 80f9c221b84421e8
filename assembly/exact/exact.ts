// Exact Shapley and Banzhaf values from a full value table v[mask], in one
// streaming pass.
//
// Each pass computes P[i] = sum over S containing i of c(|S|) * x(S) for
// size-dependent weights c, reading the table as blocks of 256 coalitions
// that share their high bits: inside a block the weight of an entry depends
// only on popcount(high) + popcount(low), so one precomputed weight vector
// per popcount(high) turns the block into SIMD multiplies (Banzhaf's
// weights are all 1: its pass only adds). The fast pass
// (x = v) sums products per low pattern and per block (exact-chunks.ts).
// The referenced pass (x = v - ref, see blocks.ts) keeps small credits
// beside large ones accurate; it sums each block per row and per column
// (scanBlock), and the host runs it when the fast pass's values are small
// beside the table's. The cost per entry is independent of n.

import { at, increments, lanes, LOW_BITS, LOW_SIZE, lowShare, prepareReference, RECORD_DOUBLES, referenceOf, scanBlock } from './blocks';
import { creditBlock, lowBitsOf, prepareWeightVectors } from './membership';
import { membershipChunk } from './exact-chunks';
import { shapleyMembershipWeights } from './weights';

const MAX_PLAYERS: i32 = 32;

const coefficients = memory.data((MAX_PLAYERS + 1) << 3, 16);
const weightVectors = memory.data((MAX_PLAYERS + 1) * LOW_SIZE * 8, 16);
/** The fast pass's partial sums: total, credit[n], lows[256]. */
const partials = memory.data((1 + MAX_PLAYERS + LOW_SIZE) * 8, 16);
/** The referenced pass's block record, and the sums per low pattern scanBlock keeps (which only interactions use). */
const record = memory.data(RECORD_DOUBLES * 8, 16);
const patternSums = memory.data(LOW_SIZE * 8, 16);
/** The n whose Shapley weights `weightVectors` holds, or -1: lets repeated chunk calls skip making them. */
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
    scanBlock(table + (<usize>(hi << <u64>LOW_BITS) << 3), vector, patternSums, referenceOf(hi, LOW_BITS), record);
    for (let i = 0; i < LOW_BITS; i++) store<f64>(at(out, i), load<f64>(at(out, i)) + lowShare(record, i));
    total += creditBlock(out, LOW_BITS, hi, lanes(record, 0));
  }
  return total;
}

/**
 * The fast pass: out[i] = sum over S containing i of c(|S|) * v(S), on v
 * itself, as one chunk of the whole table (exact-chunks.ts: products summed
 * per low pattern and per block). Returns the sum over all S.
 */
function plainMembershipSums(table: usize, n: i32, index: i32, out: usize): f64 {
  const lowBits = lowBitsOf(n);
  membershipChunk(table, n, 0, 1 << (n - lowBits), index, partials, 0);
  memory.copy(out, partials + 8, <usize>n << 3);
  const lows = partials + ((<usize>n + 1) << 3);
  for (let lo = 1; lo < 1 << lowBits; lo++) {
    const sum = load<f64>(at(lows, lo));
    let bits = lo;
    while (bits != 0) {
      const slot = at(out, <i32>ctz(bits));
      store<f64>(slot, load<f64>(slot) + sum);
      bits &= bits - 1;
    }
  }
  return load<f64>(partials);
}

/**
 * The module's weight vectors for the Shapley weights of n players, made
 * (into `coef` and the vectors) only when they do not hold them already: a
 * chunked pass asks once a chunk, and 2(n + 1) binomials a time cost about a
 * microsecond.
 */
export function shapleyWeightVectors(n: i32, coef: usize): usize {
  if (n != vectorsKey) {
    shapleyMembershipWeights(n, coef);
    prepareWeightVectors(n, coef, weightVectors);
    vectorsKey = n;
  }
  return weightVectors;
}

/**
 * Exact Shapley (or Banzhaf) values of the n-player game tabulated at
 * `table` into out[0..n). `referenced`: sum v - ref (n >= 8; see blocks.ts),
 * else v itself, the faster pass, whose rounding scales with the values
 * (the host redoes a pass whose small values may have lost digits).
 * Returns the pass's weighted total: every weight is positive, so it is
 * finite exactly when every entry is (and no sum overflows), which lets the
 * host check the table's finiteness without a pass of its own.
 */
function exactIndex(table: usize, n: i32, banzhaf: bool, referenced: bool, out: usize): f64 {
  if (n == 0) return 0;
  let base: f64 = 0;
  if (referenced) {
    base = prepareReference(table, n);
    if (!isFinite(base)) {
      // Marginal contributions that overflow (or a NaN): values and total not finite, for the host to report.
      for (let i = 0; i < n; i++) store<f64>(at(out, i), base);
      return base;
    }
  } else {
    memory.fill(increments, 0, <usize>n << 3);
  }
  if (!banzhaf) shapleyMembershipWeights(n, coefficients);
  else for (let k = 0; k <= n; k++) store<f64>(at(coefficients, k), 1.0);
  const total = referenced ? membershipSums(table, n, coefficients, out) : plainMembershipSums(table, n, banzhaf ? 1 : 0, out);
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

/** Exact Shapley values of the n-player game at `table` into out[0..n), by the fast pass; returns its total (see exactIndex). */
export function shapleyExact(table: usize, n: i32, out: usize): f64 {
  return exactIndex(table, n, false, false, out);
}

/** Exact Banzhaf values, as shapleyExact. */
export function banzhafExact(table: usize, n: i32, out: usize): f64 {
  return exactIndex(table, n, true, false, out);
}

/** Shapley (index 0) or Banzhaf (index 1) values summed over v - ref, for n >= 8 (see exactIndex). */
export function referencedExact(table: usize, n: i32, index: i32, out: usize): f64 {
  return exactIndex(table, n, index == 1, true, out);
}
