// The block scan shared by the exact passes (exact.ts, interactions.ts), and
// the additive reference game they subtract from the table.
//
// Reference: ref(S) = v(empty) + sum over i in S of a_i, a_i the mean of
// player i's first and last marginal contributions. Shapley and Banzhaf
// values of an additive game are its a_i, and its interactions are zero, so
// an index of v is that of ref plus that of r = v - ref; and since r's
// entries are only as large as the game is far from additive, so are the
// rounding errors of sums over them (a player worth 1e-6 beside players
// worth 1e3 keeps its digits). The a_i are rounded to a grid (an integer
// times a power of two) coarse enough that every ref(S) is exact, so each
// r(S) is rounded once, relative to itself.
//
// A block is 256 coalitions sharing their high bits, laid out as 16 rows of
// 16 (the two nibbles of the low pattern). scanBlock sums the products
// w * r per row and per column; the shares of the eight low players follow
// from those 32 sums.

export const LOW_BITS: i32 = 8;
export const LOW_SIZE: i32 = 256;
const MAX_PLAYERS: i32 = 32;

/** The reference's increments a_i. */
export const increments = memory.data(MAX_PLAYERS << 3, 16);
/** ref over the low bits: v(empty) + the a_i of the low pattern's players. */
export const lowReference = memory.data(LOW_SIZE * 8, 16);
/** The last scanned block's column sums (16) and row sums (16). */
export const columns = memory.data(16 * 8, 16);
export const rows = memory.data(16 * 8, 16);

// @ts-ignore: decorator
@inline
export function at(base: usize, index: i32): usize {
  return base + (<usize>index << 3);
}

/**
 * Prepares the reference of the n-player table (n >= LOW_BITS) and returns
 * its v(empty) term. When a first or last marginal contribution is not
 * finite (a NaN or infinity in those entries, or values so far apart that
 * their difference overflows) the reference has no terms and the returned
 * value is that non-finite number, for the caller to report.
 */
export function prepareReference(table: usize, n: i32): f64 {
  const full: usize = (<usize>1 << <usize>n) - 1;
  const empty = load<f64>(table);
  const last = load<f64>(table + (full << 3));
  let scale = Math.abs(empty);
  for (let i = 0; i < n; i++) {
    const bit: usize = <usize>1 << <usize>i;
    const a = (load<f64>(table + (bit << 3)) - empty + (last - load<f64>(table + ((full ^ bit) << 3)))) * 0.5;
    store<f64>(at(increments, i), a);
    scale += Math.abs(a);
  }
  let base: f64 = isFinite(scale) ? 0 : scale;
  if (isFinite(scale) && scale > 0) {
    // Integer multiples of the grid below 2^53 grids are exact, and no partial
    // sum of the reference exceeds scale < 2^(e+1): grid = 2^(e-51), e the
    // exponent of scale (built from its bits; at least the smallest normal).
    // (Near the largest double a rounded term may overflow: the pass is then
    // not finite, and the host reports the overflow.)
    const exponent = <i64>((reinterpret<u64>(scale) >> 52) & 0x7ff) - 51;
    const grid = reinterpret<f64>(<u64>(exponent < 1 ? 1 : exponent) << 52);
    base = nearest(empty / grid) * grid;
    for (let i = 0; i < n; i++) store<f64>(at(increments, i), nearest(load<f64>(at(increments, i)) / grid) * grid);
  } else {
    memory.fill(increments, 0, <usize>n << 3);
  }
  store<f64>(lowReference, base);
  for (let lo = 1; lo < LOW_SIZE; lo++) {
    store<f64>(at(lowReference, lo), load<f64>(at(lowReference, lo & (lo - 1))) + load<f64>(at(increments, <i32>ctz(lo))));
  }
  return base;
}

/** The reference's terms of the players in `bits`, counted from player `first`: sum of their a_i. */
export function referenceOf(bits: u64, first: i32): f64 {
  let sum: f64 = 0;
  while (bits != 0) {
    sum += load<f64>(at(increments, first + <i32>ctz(bits)));
    bits &= bits - 1;
  }
  return sum;
}

/**
 * One block of 256 entries at `block`: the products w * (v - ref), w from
 * `vector` and ref = the low reference + `shift`, summed per column (into
 * `columns`) and per row (into `rows`). Returns the block's sum.
 */
export function scanBlock(block: usize, vector: usize, shift: f64): f64 {
  const high = f64x2.splat(shift);
  let c0 = f64x2.splat(0);
  let c1 = f64x2.splat(0);
  let c2 = f64x2.splat(0);
  let c3 = f64x2.splat(0);
  let c4 = f64x2.splat(0);
  let c5 = f64x2.splat(0);
  let c6 = f64x2.splat(0);
  let c7 = f64x2.splat(0);
  let sum: f64 = 0;
  for (let u = 0; u < 16; u++) {
    const offset = <usize>u << 7;
    const x = block + offset;
    const r = lowReference + offset;
    const w = vector + offset;
    const p0 = f64x2.mul(f64x2.sub(v128.load(x), f64x2.add(v128.load(r), high)), v128.load(w));
    const p1 = f64x2.mul(f64x2.sub(v128.load(x, 16), f64x2.add(v128.load(r, 16), high)), v128.load(w, 16));
    const p2 = f64x2.mul(f64x2.sub(v128.load(x, 32), f64x2.add(v128.load(r, 32), high)), v128.load(w, 32));
    const p3 = f64x2.mul(f64x2.sub(v128.load(x, 48), f64x2.add(v128.load(r, 48), high)), v128.load(w, 48));
    const p4 = f64x2.mul(f64x2.sub(v128.load(x, 64), f64x2.add(v128.load(r, 64), high)), v128.load(w, 64));
    const p5 = f64x2.mul(f64x2.sub(v128.load(x, 80), f64x2.add(v128.load(r, 80), high)), v128.load(w, 80));
    const p6 = f64x2.mul(f64x2.sub(v128.load(x, 96), f64x2.add(v128.load(r, 96), high)), v128.load(w, 96));
    const p7 = f64x2.mul(f64x2.sub(v128.load(x, 112), f64x2.add(v128.load(r, 112), high)), v128.load(w, 112));
    c0 = f64x2.add(c0, p0);
    c1 = f64x2.add(c1, p1);
    c2 = f64x2.add(c2, p2);
    c3 = f64x2.add(c3, p3);
    c4 = f64x2.add(c4, p4);
    c5 = f64x2.add(c5, p5);
    c6 = f64x2.add(c6, p6);
    c7 = f64x2.add(c7, p7);
    const row = f64x2.add(f64x2.add(f64x2.add(p0, p1), f64x2.add(p2, p3)), f64x2.add(f64x2.add(p4, p5), f64x2.add(p6, p7)));
    const rowSum = f64x2.extract_lane(row, 0) + f64x2.extract_lane(row, 1);
    store<f64>(at(rows, u), rowSum);
    sum += rowSum;
  }
  v128.store(columns, c0);
  v128.store(columns, c1, 16);
  v128.store(columns, c2, 32);
  v128.store(columns, c3, 48);
  v128.store(columns, c4, 64);
  v128.store(columns, c5, 80);
  v128.store(columns, c6, 96);
  v128.store(columns, c7, 112);
  return sum;
}

/** Low player i's share of the last scanned block: players 0-3 from the columns with their bit, 4-7 from the rows. */
export function lowShare(i: i32): f64 {
  const nibble = i < 4 ? columns : rows;
  const bit = 1 << (i & 3);
  let share: f64 = 0;
  for (let k = bit; k < 16; k = (k + 1) | bit) share += load<f64>(at(nibble, k));
  return share;
}
