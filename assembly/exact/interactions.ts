// Exact pairwise Shapley interactions from a full value table, in one
// streaming pass.
//
// II_ij = sum over T of v(T) c(|T|, [i in T], [j in T]), and since c only
// depends on the size and on two membership bits it splits as
//   II_ij = Q_ij - R_i - R_j + D
// with Q_ij = sum_{T with i, j} e(|T|) v(T), R_i = sum_{T with i} g(|T|) v(T)
// and D = sum_T d(|T|) v(T), where d(t) = w(t), g(t) = w(t-1) + w(t),
// e(t) = w(t-2) + 2 w(t-1) + w(t) and w(s) = s!(n-2-s)!/(n-1)! (zero outside
// 0..n-2). The sums run over r = v - ref, the table less the additive
// reference of blocks.ts (whose interactions are zero), so their rounding
// scales with how far the game is from additive. The pass reads the table
// once, in blocks of 256 coalitions sharing their high bits (as exact.ts
// does):
// - per block, the e-weighted sums of its 16 rows and 16 columns (scanBlock),
//   which give each low player's block sum for the pairs of a low and a high
//   player, and the block's e-weighted total for the pairs of high bits;
// - the same block again, from cache: r added to an unweighted sum per low
//   pattern and popcount of the high bits (from which every pair and player
//   of low bits, and D, follow), and the block's g-weighted total for the
//   players of high bits.
// The cost per entry is a few SIMD adds and multiplies, independent of n.

import { at, LOW_BITS, LOW_SIZE, lowReference, lowShare, prepareReference, referenceOf, scanBlock } from './blocks';
import { prepareWeightVectors } from './membership';
import { binomial } from './weights';

/** The largest table exact methods take (src/core/table.ts, EXACT_MAX_PLAYERS). */
const MAX_PLAYERS: i32 = 26;
const ROWS: i32 = MAX_PLAYERS - LOW_BITS + 1;

/** Unweighted sums per (popcount of the high bits, low pattern). */
const lowSums = memory.data(ROWS * LOW_SIZE * 8, 16);
/** e(h + popcount(lo)) and g(h + popcount(lo)) per popcount h of the high bits. */
const eVectors = memory.data(ROWS * LOW_SIZE * 8, 16);
const gVectors = memory.data(ROWS * LOW_SIZE * 8, 16);
/** Coefficients e and g by coalition size (d is pairWeight). */
const eCoef = memory.data((MAX_PLAYERS + 1) << 3, 16);
const gCoef = memory.data((MAX_PLAYERS + 1) << 3, 16);
/** One block's e-weighted sum per low player. */
const lowPlayers = memory.data(8 * 8, 16);
/** R_i per player. */
const single = memory.data(MAX_PLAYERS << 3, 16);

/** w(s) = 1 / ((n-1) C(n-2, s)) for 0 <= s <= n-2, else 0. */
function pairWeight(n: i32, s: i32): f64 {
  if (s < 0 || s > n - 2) return 0;
  return 1.0 / (<f64>(n - 1) * binomial(n - 2, s));
}

function prepare(n: i32): void {
  for (let t = 0; t <= n; t++) {
    const before2 = pairWeight(n, t - 2);
    const before = pairWeight(n, t - 1);
    const here = pairWeight(n, t);
    store<f64>(at(eCoef, t), before2 + 2 * before + here);
    store<f64>(at(gCoef, t), before + here);
  }
  if (n > LOW_BITS) {
    prepareWeightVectors(n, eCoef, eVectors);
    prepareWeightVectors(n, gCoef, gVectors);
  }
}

/**
 * For the players in `bits` (counted from player `first`): adds `pair` to
 * Q of each pair of them (upper triangle of `out`) and `player` to R of each.
 */
function creditPairs(out: usize, n: i32, bits: u64, first: i32, pair: f64, player: f64): void {
  while (bits != 0) {
    const i = first + <i32>ctz(bits);
    const r = at(single, i);
    store<f64>(r, load<f64>(r) + player);
    let others = bits & (bits - 1);
    while (others != 0) {
      const slot = at(out, i * n + first + <i32>ctz(others));
      store<f64>(slot, load<f64>(slot) + pair);
      others &= others - 1;
    }
    bits &= bits - 1;
  }
}

/**
 * Adds one block (256 entries at `block`, high bits `hi`, n > 8) to the low
 * sums, and credits the pairs and players of its high bits in `out` (Q, upper
 * triangle) and `single` (R). Returns the block's e-weighted sum.
 */
function addBlock(block: usize, hi: u64, out: usize, n: i32): f64 {
  const h = <i32>popcnt(hi);
  const shift = referenceOf(hi, LOW_BITS);
  const eBlock = scanBlock(block, eVectors + <usize>(h * LOW_SIZE) * 8, shift);
  for (let i = 0; i < LOW_BITS; i++) store<f64>(at(lowPlayers, i), lowShare(i));
  // The block again, from cache: r = v - ref into the low sums, and its g-weighted sum.
  const sums = lowSums + <usize>(h * LOW_SIZE) * 8;
  const gVector = gVectors + <usize>(h * LOW_SIZE) * 8;
  const high = f64x2.splat(shift);
  let gAcc = f64x2.splat(0);
  for (let offset: usize = 0; offset < <usize>LOW_SIZE * 8; offset += 16) {
    const r = f64x2.sub(v128.load(block + offset), f64x2.add(v128.load(lowReference + offset), high));
    v128.store(sums + offset, f64x2.add(v128.load(sums + offset), r));
    gAcc = f64x2.add(gAcc, f64x2.mul(r, v128.load(gVector + offset)));
  }
  const gBlock = f64x2.extract_lane(gAcc, 0) + f64x2.extract_lane(gAcc, 1);
  creditPairs(out, n, hi, LOW_BITS, eBlock, gBlock);
  let bits = hi;
  while (bits != 0) {
    const j = LOW_BITS + <i32>ctz(bits);
    for (let i = 0; i < LOW_BITS; i++) {
      const slot = at(out, i * n + j);
      store<f64>(slot, load<f64>(slot) + load<f64>(at(lowPlayers, i)));
    }
    bits &= bits - 1;
  }
  return eBlock;
}

/**
 * Exact pairwise Shapley interaction index of the n-player game tabulated at
 * `table` into the n x n matrix `out` (row-major, symmetric, zero diagonal).
 * Returns the sum of all table entries' weighted contributions, which is
 * finite exactly when every entry is (and no sum overflows): the caller's
 * finiteness check.
 */
export function interactionsExact(table: usize, n: i32, out: usize): f64 {
  memory.fill(out, 0, <usize>(n * n) * 8);
  const lowBits = n < LOW_BITS ? n : LOW_BITS;
  const lowSize = 1 << lowBits;
  const highRows = n - lowBits + 1;
  prepare(n);
  memory.fill(single, 0, <usize>n << 3);
  let total: f64 = 0;
  let sums = table;
  if (n > LOW_BITS) {
    prepareReference(table, n);
    memory.fill(lowSums, 0, <usize>(highRows * LOW_SIZE) << 3);
    const blocks: u64 = <u64>1 << <u64>(n - LOW_BITS);
    for (let b: u64 = 0; b < blocks; b++) {
      total += addBlock(table + (<usize>(b << <u64>LOW_BITS) << 3), b, out, n);
    }
    sums = lowSums;
  }
  // Pairs and players of low bits, and D, from the sums per low pattern.
  let shared: f64 = 0;
  for (let lo = 0; lo < lowSize; lo++) {
    let e: f64 = 0;
    let g: f64 = 0;
    const size = <i32>popcnt(lo);
    for (let h = 0; h < highRows; h++) {
      const sum = load<f64>(at(sums, h * LOW_SIZE + lo));
      e += load<f64>(at(eCoef, h + size)) * sum;
      g += load<f64>(at(gCoef, h + size)) * sum;
      shared += pairWeight(n, h + size) * sum;
    }
    total += e;
    creditPairs(out, n, lo, 0, e, g);
  }
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const value = load<f64>(at(out, i * n + j)) - load<f64>(at(single, i)) - load<f64>(at(single, j)) + shared;
      store<f64>(at(out, i * n + j), value);
      store<f64>(at(out, j * n + i), value);
    }
  }
  return total + shared;
}
