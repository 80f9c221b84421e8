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
// scales with how far the game is from additive.
//
// The pass reads the table once, in blocks of 256 coalitions sharing their
// high bits (as exact.ts does), and each entry once: r is added to an
// unweighted sum per low pattern and popcount of the high bits (from which
// Q of every pair of low players, and D, follow at the end), and its
// e-weighted products are summed into the block's record (scanBlock in
// blocks.ts: eight 2-lane partial sums, over the block and over the columns
// or rows of each low player).
//
// A high player j needs the sum of the records of the blocks whose high bits
// hold j (Q_ij for each low player i), and a pair of high players the sum of
// e over the blocks holding both. Crediting each block to each of its high
// players would cost a few hundred scalar updates per block; instead the
// records are summed up a binary tree over the block index as blocks arrive.
// Two sibling nodes of level L (they differ in bit L of the block index)
// merge into their parent; the odd one (bit L set) is the sum over its
// blocks, all of which hold high player L, so it is added to that player's
// sums, and its per-bit e sums (the e of the blocks holding each lower bit k)
// to Q of the pair (k, L). A node carries its record and one e sum per lower
// bit; a block costs one merge on average (and half of them a copy to a
// pending node), and the tree needs one pending node per level.
//
// R needs no sum of its own: g(t) = e(t) (t - 1) / (n - 2) for 2 <= t <= n - 2,
// so R_j = sum_{i != j} Q_ij / (n - 2), corrected for the coalitions of sizes
// 1, n - 1 and n (see interactionsExact). Tables of up to 8 players have no
// blocks: their r is summed directly.

import { at, lanes, LOW_BITS, LOW_SIZE, lowReference, lowShare, prepareReference, RECORD_DOUBLES, referenceOf, scanBlock } from './blocks';
import { prepareWeightVectors } from './membership';
import { binomial } from './weights';

/** The largest table exact methods take (src/core/table.ts, EXACT_MAX_PLAYERS). */
const MAX_PLAYERS: i32 = 26;
const ROWS: i32 = MAX_PLAYERS - LOW_BITS + 1;
const MAX_HIGH: i32 = MAX_PLAYERS - LOW_BITS;

/** A block's record (scanBlock's). */
const SUMS: i32 = RECORD_DOUBLES;
/** A tree node: a record, then the e sum per lower bit of the block index. */
const NODE_BYTES: usize = <usize>(SUMS + MAX_HIGH) << 3;

/** Unweighted sums per (popcount of the high bits, low pattern). */
const lowSums = memory.data(ROWS * LOW_SIZE * 8, 16);
/** e(h + popcount(lo)) per popcount h of the high bits. */
const eVectors = memory.data(ROWS * LOW_SIZE * 8, 16);
/** Coefficients e and d by coalition size. */
const eCoef = memory.data((MAX_PLAYERS + 1) << 3, 16);
const dCoef = memory.data((MAX_PLAYERS + 1) << 3, 16);
/** R_i per player. */
const single = memory.data(MAX_PLAYERS << 3, 16);
/** The pending (even) node of each tree level, and the record of an odd block. */
const pending = memory.data(MAX_HIGH * <i32>NODE_BYTES, 16);
const oddRecord = memory.data(<i32>NODE_BYTES, 16);
/** Per high player: the sum of the records of the blocks that hold it. */
const highSums = memory.data(MAX_HIGH * SUMS * 8, 16);
/** w(s) = 1 / ((n-1) C(n-2, s)) for 0 <= s <= n-2, else 0. */
function pairWeight(n: i32, s: i32): f64 {
  if (s < 0 || s > n - 2) return 0;
  return 1.0 / (<f64>(n - 1) * binomial(n - 2, s));
}

/** g(t) - e(t) (t - 1) / (n - 2): zero but for t = 1, n - 1 and n. */
function sizeDifference(n: i32, t: i32): f64 {
  return pairWeight(n, t - 1) + pairWeight(n, t) - load<f64>(at(eCoef, t)) * <f64>(t - 1) / <f64>(n - 2);
}

/** r(T) = v(T) - ref(T) for the coalition with mask `bits`. */
function residual(table: usize, base: f64, bits: u64): f64 {
  return load<f64>(table + (<usize>bits << 3)) - (base + referenceOf(bits, 0));
}

function prepare(n: i32): void {
  let before2: f64 = 0;
  let before: f64 = 0;
  for (let t = 0; t <= n; t++) {
    const here = pairWeight(n, t);
    store<f64>(at(eCoef, t), before2 + 2 * before + here);
    store<f64>(at(dCoef, t), here);
    before2 = before;
    before = here;
  }
  if (n > LOW_BITS) {
    prepareWeightVectors(n, eCoef, eVectors);
  }
}

/** to[k] += from[k] for k < count (count even; 16-byte aligned). */
function addSums(to: usize, from: usize, count: i32): void {
  for (let k: usize = 0; k < <usize>count << 3; k += 16) v128.store(to + k, f64x2.add(v128.load(to + k), v128.load(from + k)));
}

/**
 * Block b's record (at `record`: the pending node of level 0 when b is even,
 * else oddRecord) up the tree: while the node is an odd child, it is added
 * to its level's high player and merged into its pending sibling, which goes
 * on up; the even node it ends in stays pending at its level (the root,
 * after the last block, is not needed).
 */
function climb(b: u64, record: usize, out: usize, n: i32): void {
  const levels = n - LOW_BITS;
  let node = record;
  let level = 0;
  while (((b >> <u64>level) & 1) != 0) {
    addSums(highSums + <usize>(level * SUMS) * 8, node, SUMS);
    const sibling = pending + <usize>level * NODE_BYTES;
    const row = LOW_BITS + level;
    for (let k = 0; k < level; k++) {
      const part = load<f64>(at(node, SUMS + k));
      const slot = at(out, (LOW_BITS + k) * n + row);
      store<f64>(slot, load<f64>(slot) + part);
      store<f64>(at(sibling, SUMS + k), load<f64>(at(sibling, SUMS + k)) + part);
    }
    addSums(sibling, node, SUMS);
    store<f64>(at(sibling, SUMS + level), lanes(node, 0));
    node = sibling;
    level++;
  }
  if (node != record && level < levels) memory.copy(pending + <usize>level * NODE_BYTES, node, <usize>(SUMS + level) << 3);
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
  if (n < 3) {
    // At most one pair: II_01 = v({0, 1}) - v({0}) - v({1}) + v(empty).
    let value = load<f64>(table);
    if (n == 1) value += load<f64>(table, 8);
    if (n == 2) {
      value += load<f64>(table, 24) - load<f64>(table, 8) - load<f64>(table, 16);
      store<f64>(out, value, 8);
      store<f64>(out, value, 16);
    }
    return value;
  }
  const lowBits = n < LOW_BITS ? n : LOW_BITS;
  const highRows = n - lowBits + 1;
  prepare(n);
  let total: f64 = 0;
  const base = prepareReference(table, n);
  if (n > LOW_BITS) {
    memory.fill(lowSums, 0, <usize>(highRows * LOW_SIZE) << 3);
    memory.fill(highSums, 0, <usize>(MAX_HIGH * SUMS) << 3);
    const blocks: u64 = <u64>1 << <u64>(n - LOW_BITS);
    for (let b: u64 = 0; b < blocks; b++) {
      const record = (b & 1) != 0 ? oddRecord : pending;
      const vectors = <usize>(<i32>popcnt(b) * LOW_SIZE) << 3;
      scanBlock(table + (<usize>(b << <u64>LOW_BITS) << 3), eVectors + vectors, lowSums + vectors, referenceOf(b, LOW_BITS), record);
      total += lanes(record, 0);
      climb(b, record, out, n);
    }
    // Q of each high player's pairs with the low players.
    for (let j = LOW_BITS; j < n; j++) {
      const held = highSums + <usize>((j - LOW_BITS) * SUMS) * 8;
      for (let i = 0; i < LOW_BITS; i++) store<f64>(at(out, i * n + j), lowShare(held, i));
    }
  } else {
    // No blocks: r of each coalition is its own low sum.
    for (let lo = 0; lo < 1 << n; lo++) store<f64>(at(lowSums, lo), load<f64>(at(table, lo)) - load<f64>(at(lowReference, lo)));
  }
  // Q of the pairs of low players, and D, from the sums per low pattern.
  let shared: f64 = 0;
  for (let lo = 0; lo < 1 << lowBits; lo++) {
    let e: f64 = 0;
    const size = <i32>popcnt(lo);
    for (let h = 0; h < highRows; h++) {
      const sum = load<f64>(at(lowSums, h * LOW_SIZE + lo));
      e += load<f64>(at(eCoef, h + size)) * sum;
      shared += load<f64>(at(dCoef, h + size)) * sum;
    }
    total += e;
    let bits = lo;
    while (bits != 0) {
      const i = <i32>ctz(bits);
      let others = bits & (bits - 1);
      while (others != 0) {
        const slot = at(out, i * n + <i32>ctz(others));
        store<f64>(slot, load<f64>(slot) + e);
        others &= others - 1;
      }
      bits &= bits - 1;
    }
  }
  // R of each player from its Q: g(t) = e(t) (t - 1) / (n - 2) for
  // 2 <= t <= n - 2 (both are w(t) times a rational function of t; see
  // README), so sum_{i != j} Q_ij / (n - 2) is R_j but for the coalitions of
  // sizes 1, n - 1 and n, which are added with the difference of weights.
  const full: u64 = (<u64>1 << <u64>n) - 1;
  let nearFull: f64 = 0;
  for (let k = 0; k < n; k++) nearFull += residual(table, base, full ^ (<u64>1 << <u64>k));
  const one = sizeDifference(n, 1);
  const allButOne = sizeDifference(n, n - 1);
  const whole = sizeDifference(n, n) * residual(table, base, full);
  for (let j = 0; j < n; j++) {
    const bit: u64 = <u64>1 << <u64>j;
    let q: f64 = 0;
    for (let i = 0; i < n; i++) if (i != j) q += load<f64>(at(out, i < j ? i * n + j : j * n + i));
    const r = q / <f64>(n - 2) + one * residual(table, base, bit) + allButOne * (nearFull - residual(table, base, full ^ bit)) + whole;
    store<f64>(at(single, j), r);
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
