// Exact pairwise Shapley interactions from a full value table, in one
// streaming pass.
//
// II_ij = sum over T of v(T) c(|T|, [i in T], [j in T]), and since c only
// depends on the size and on two membership bits it splits as
//   II_ij = Q_ij - R_i - R_j + D
// with Q_ij = sum_{T with i, j} e(|T|) v(T), R_i = sum_{T with i} g(|T|) v(T)
// and D = sum_T d(|T|) v(T), where d(t) = w(t), g(t) = w(t-1) + w(t),
// e(t) = w(t-2) + 2 w(t-1) + w(t) and w(s) = s!(n-2-s)!/(n-1)! (zero outside
// 0..n-2). The pass reads the table once, in blocks of 256 coalitions sharing
// their high bits (as exact.ts does):
// - per low pattern and popcount of the high bits, an unweighted sum (one add
//   per entry) from which every pair and player of low bits, and D, follow;
// - per block, the e-weighted sums of its 16 rows and 16 columns (the two
//   nibbles of the low pattern), which give each low player's block sum for
//   the pairs of a low and a high player; and the block's e- and g-weighted
//   totals for the pairs and players of high bits.
// The cost per entry is a few SIMD adds and multiplies, independent of n.

import { binomial } from './weights';

const LOW_BITS: i32 = 8;
const LOW_SIZE: i32 = 256;
/** The largest table exact methods take (src/core/table.ts, EXACT_MAX_PLAYERS). */
const MAX_PLAYERS: i32 = 26;
const ROWS: i32 = MAX_PLAYERS - LOW_BITS + 1;

/** Unweighted sums per (popcount of the high bits, low pattern). */
const lowSums = memory.data(ROWS * LOW_SIZE * 8, 16);
/** e(h + popcount(lo)) and g(h + popcount(lo)) per popcount h of the high bits. */
const eVectors = memory.data(ROWS * LOW_SIZE * 8, 16);
const gVectors = memory.data(ROWS * LOW_SIZE * 8, 16);
/** Coefficients e, g, d by coalition size. */
const eCoef = memory.data((MAX_PLAYERS + 1) << 3, 16);
const gCoef = memory.data((MAX_PLAYERS + 1) << 3, 16);
const dCoef = memory.data((MAX_PLAYERS + 1) << 3, 16);
/** One block's e-weighted column sums (16) and row sums (16). */
const columns = memory.data(16 * 8, 16);
const rows = memory.data(16 * 8, 16);
/** One block's e-weighted sum per low player. */
const lowPlayers = memory.data(8 * 8, 16);
/** R_i per player. */
const single = memory.data(MAX_PLAYERS << 3, 16);

/** w(s) = 1 / ((n-1) C(n-2, s)) for 0 <= s <= n-2, else 0. */
function pairWeight(n: i32, s: i32): f64 {
  if (s < 0 || s > n - 2) return 0;
  return 1.0 / (<f64>(n - 1) * binomial(n - 2, s));
}

// @ts-ignore: decorator
@inline
function at(base: usize, index: i32): usize {
  return base + (<usize>index << 3);
}

function prepare(n: i32, lowBits: i32): void {
  for (let t = 0; t <= n; t++) {
    const before2 = pairWeight(n, t - 2);
    const before = pairWeight(n, t - 1);
    const here = pairWeight(n, t);
    store<f64>(at(eCoef, t), before2 + 2 * before + here);
    store<f64>(at(gCoef, t), before + here);
    store<f64>(at(dCoef, t), here);
  }
  const lowSize = 1 << lowBits;
  for (let h = 0; h <= n - lowBits; h++) {
    for (let lo = 0; lo < lowSize; lo++) {
      const size = h + <i32>popcnt(lo);
      store<f64>(at(eVectors, h * LOW_SIZE + lo), load<f64>(at(eCoef, size)));
      store<f64>(at(gVectors, h * LOW_SIZE + lo), load<f64>(at(gCoef, size)));
    }
  }
}

/**
 * Adds one block (256 entries at `block`, high bits `hi`, n > 8) to the low
 * sums, and credits the pairs and players of its high bits in `out` (Q, upper
 * triangle) and `single` (R). Returns the block's e-weighted sum.
 */
function addBlock(block: usize, hi: u64, out: usize, n: i32): f64 {
  const h = <i32>popcnt(hi);
  const sums = lowSums + <usize>(h * LOW_SIZE) * 8;
  const eVector = eVectors + <usize>(h * LOW_SIZE) * 8;
  const gVector = gVectors + <usize>(h * LOW_SIZE) * 8;
  let c0 = f64x2.splat(0);
  let c1 = f64x2.splat(0);
  let c2 = f64x2.splat(0);
  let c3 = f64x2.splat(0);
  let c4 = f64x2.splat(0);
  let c5 = f64x2.splat(0);
  let c6 = f64x2.splat(0);
  let c7 = f64x2.splat(0);
  let gAcc = f64x2.splat(0);
  for (let u = 0; u < 16; u++) {
    const offset = <usize>u << 7;
    const x0 = v128.load(block + offset);
    const x1 = v128.load(block + offset, 16);
    const x2 = v128.load(block + offset, 32);
    const x3 = v128.load(block + offset, 48);
    const x4 = v128.load(block + offset, 64);
    const x5 = v128.load(block + offset, 80);
    const x6 = v128.load(block + offset, 96);
    const x7 = v128.load(block + offset, 112);
    const s = sums + offset;
    v128.store(s, f64x2.add(v128.load(s), x0));
    v128.store(s, f64x2.add(v128.load(s, 16), x1), 16);
    v128.store(s, f64x2.add(v128.load(s, 32), x2), 32);
    v128.store(s, f64x2.add(v128.load(s, 48), x3), 48);
    v128.store(s, f64x2.add(v128.load(s, 64), x4), 64);
    v128.store(s, f64x2.add(v128.load(s, 80), x5), 80);
    v128.store(s, f64x2.add(v128.load(s, 96), x6), 96);
    v128.store(s, f64x2.add(v128.load(s, 112), x7), 112);
    const e = eVector + offset;
    const p0 = f64x2.mul(x0, v128.load(e));
    const p1 = f64x2.mul(x1, v128.load(e, 16));
    const p2 = f64x2.mul(x2, v128.load(e, 32));
    const p3 = f64x2.mul(x3, v128.load(e, 48));
    const p4 = f64x2.mul(x4, v128.load(e, 64));
    const p5 = f64x2.mul(x5, v128.load(e, 80));
    const p6 = f64x2.mul(x6, v128.load(e, 96));
    const p7 = f64x2.mul(x7, v128.load(e, 112));
    c0 = f64x2.add(c0, p0);
    c1 = f64x2.add(c1, p1);
    c2 = f64x2.add(c2, p2);
    c3 = f64x2.add(c3, p3);
    c4 = f64x2.add(c4, p4);
    c5 = f64x2.add(c5, p5);
    c6 = f64x2.add(c6, p6);
    c7 = f64x2.add(c7, p7);
    const row = f64x2.add(f64x2.add(f64x2.add(p0, p1), f64x2.add(p2, p3)), f64x2.add(f64x2.add(p4, p5), f64x2.add(p6, p7)));
    store<f64>(at(rows, u), f64x2.extract_lane(row, 0) + f64x2.extract_lane(row, 1));
    const g = gVector + offset;
    const q0 = f64x2.add(f64x2.mul(x0, v128.load(g)), f64x2.mul(x1, v128.load(g, 16)));
    const q1 = f64x2.add(f64x2.mul(x2, v128.load(g, 32)), f64x2.mul(x3, v128.load(g, 48)));
    const q2 = f64x2.add(f64x2.mul(x4, v128.load(g, 64)), f64x2.mul(x5, v128.load(g, 80)));
    const q3 = f64x2.add(f64x2.mul(x6, v128.load(g, 96)), f64x2.mul(x7, v128.load(g, 112)));
    gAcc = f64x2.add(gAcc, f64x2.add(f64x2.add(q0, q1), f64x2.add(q2, q3)));
  }
  v128.store(columns, c0);
  v128.store(columns, c1, 16);
  v128.store(columns, c2, 32);
  v128.store(columns, c3, 48);
  v128.store(columns, c4, 64);
  v128.store(columns, c5, 80);
  v128.store(columns, c6, 96);
  v128.store(columns, c7, 112);
  let eBlock: f64 = 0;
  for (let u = 0; u < 16; u++) eBlock += load<f64>(at(rows, u));
  const gBlock = f64x2.extract_lane(gAcc, 0) + f64x2.extract_lane(gAcc, 1);
  // Each low player's e-weighted sum in this block: players 0-3 from the
  // columns, 4-7 from the rows; credited to the pairs with each high player.
  for (let i = 0; i < 8; i++) {
    const nibble = i < 4 ? columns : rows;
    const bit = 1 << (i & 3);
    let sum: f64 = 0;
    for (let k = bit; k < 16; k = (k + 1) | bit) sum += load<f64>(at(nibble, k));
    store<f64>(at(lowPlayers, i), sum);
  }
  let bits = hi;
  while (bits != 0) {
    const j = LOW_BITS + <i32>ctz(bits);
    for (let i = 0; i < 8; i++) {
      const slot = at(out, i * n + j);
      store<f64>(slot, load<f64>(slot) + load<f64>(at(lowPlayers, i)));
    }
    const r = at(single, j);
    store<f64>(r, load<f64>(r) + gBlock);
    let others = bits & (bits - 1);
    while (others != 0) {
      const slot = at(out, j * n + LOW_BITS + <i32>ctz(others));
      store<f64>(slot, load<f64>(slot) + eBlock);
      others &= others - 1;
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
  if (n < 2) return n == 1 ? load<f64>(table) + load<f64>(table + 8) : load<f64>(table);
  const lowBits = n < LOW_BITS ? n : LOW_BITS;
  const lowSize = 1 << lowBits;
  const highRows = n - lowBits + 1;
  prepare(n, lowBits);
  memory.fill(single, 0, <usize>n << 3);
  let total: f64 = 0;
  let sums = table;
  if (n > LOW_BITS) {
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
      shared += load<f64>(at(dCoef, h + size)) * sum;
    }
    total += e;
    let bits = lo;
    while (bits != 0) {
      const i = <i32>ctz(bits);
      const r = at(single, i);
      store<f64>(r, load<f64>(r) + g);
      let others = bits & (bits - 1);
      while (others != 0) {
        const slot = at(out, i * n + <i32>ctz(others));
        store<f64>(slot, load<f64>(slot) + e);
        others &= others - 1;
      }
      bits &= bits - 1;
    }
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
