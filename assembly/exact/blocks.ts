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
// w * r over the block and over the rows and columns of each low player,
// and adds r to a sum per low pattern (which interactions need).

export const LOW_BITS: i32 = 8;
export const LOW_SIZE: i32 = 256;
const MAX_PLAYERS: i32 = 32;

/** The reference's increments a_i. */
export const increments = memory.data(MAX_PLAYERS << 3, 16);
/** ref over the low bits: v(empty) + the a_i of the low pattern's players. */
export const lowReference = memory.data(LOW_SIZE * 8, 16);
/** Doubles in a block's record (see scanBlock). */
export const RECORD_DOUBLES: i32 = 16;
/** The scanned block's row sums. */
const rowSums = memory.data(16 * 8, 16);

// @ts-ignore: decorator
@inline
export function at(base: usize, index: i32): usize {
  return base + (<usize>index << 3);
}

/**
 * Prepares the reference of the n-player table (for n < LOW_BITS, the low
 * reference of patterns below 2^n only) and returns
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
 * One block of 256 entries at `block`: r = v - ref, ref = the low reference
 * + `shift`, added to the 256 sums at `sums`, and its products w * r (w from
 * `vector`) summed into the block's record at `record`.
 *
 * The record holds eight 2-lane partial sums of the products, whose lanes
 * are added only when read (lanes, lowShare): over the whole block (lane 1
 * alone: over the odd columns, those of low player 0), over the columns
 * with bit 1, 2 and 3 (players 1-3), and the same four over rows (players
 * 4-7). Each row is taken in two halves of four vectors so that the live
 * vectors fit in 16 registers.
 */
export function scanBlock(block: usize, vector: usize, sums: usize, shift: f64, record: usize): void {
  const high = f64x2.splat(shift);
  let all = f64x2.splat(0);
  let bit1 = f64x2.splat(0);
  let bit2 = f64x2.splat(0);
  let bit3 = f64x2.splat(0);
  for (let offset: usize = 0; offset < <usize>LOW_SIZE * 8; offset += 128) {
    const x = block + offset;
    const ref = lowReference + offset;
    const w = vector + offset;
    const s = sums + offset;
    const r0 = f64x2.sub(v128.load(x), f64x2.add(v128.load(ref), high));
    const r1 = f64x2.sub(v128.load(x, 16), f64x2.add(v128.load(ref, 16), high));
    const r2 = f64x2.sub(v128.load(x, 32), f64x2.add(v128.load(ref, 32), high));
    const r3 = f64x2.sub(v128.load(x, 48), f64x2.add(v128.load(ref, 48), high));
    v128.store(s, f64x2.add(v128.load(s), r0));
    v128.store(s, f64x2.add(v128.load(s, 16), r1), 16);
    v128.store(s, f64x2.add(v128.load(s, 32), r2), 32);
    v128.store(s, f64x2.add(v128.load(s, 48), r3), 48);
    const p0 = f64x2.mul(r0, v128.load(w));
    const p1 = f64x2.mul(r1, v128.load(w, 16));
    const p2 = f64x2.mul(r2, v128.load(w, 32));
    const p3 = f64x2.mul(r3, v128.load(w, 48));
    const low23 = f64x2.add(p2, p3);
    const low = f64x2.add(f64x2.add(p0, p1), low23);
    const lowOdd = f64x2.add(p1, p3);
    const r4 = f64x2.sub(v128.load(x, 64), f64x2.add(v128.load(ref, 64), high));
    const r5 = f64x2.sub(v128.load(x, 80), f64x2.add(v128.load(ref, 80), high));
    const r6 = f64x2.sub(v128.load(x, 96), f64x2.add(v128.load(ref, 96), high));
    const r7 = f64x2.sub(v128.load(x, 112), f64x2.add(v128.load(ref, 112), high));
    v128.store(s, f64x2.add(v128.load(s, 64), r4), 64);
    v128.store(s, f64x2.add(v128.load(s, 80), r5), 80);
    v128.store(s, f64x2.add(v128.load(s, 96), r6), 96);
    v128.store(s, f64x2.add(v128.load(s, 112), r7), 112);
    const p4 = f64x2.mul(r4, v128.load(w, 64));
    const p5 = f64x2.mul(r5, v128.load(w, 80));
    const p6 = f64x2.mul(r6, v128.load(w, 96));
    const p7 = f64x2.mul(r7, v128.load(w, 112));
    const high67 = f64x2.add(p6, p7);
    const upper = f64x2.add(f64x2.add(p4, p5), high67);
    const row = f64x2.add(low, upper);
    all = f64x2.add(all, row);
    bit1 = f64x2.add(bit1, f64x2.add(lowOdd, f64x2.add(p5, p7)));
    bit2 = f64x2.add(bit2, f64x2.add(low23, high67));
    bit3 = f64x2.add(bit3, upper);
    store<f64>(rowSums + (offset >> 4), f64x2.extract_lane(row, 0) + f64x2.extract_lane(row, 1));
  }
  v128.store(record, all);
  v128.store(record, bit1, 16);
  v128.store(record, bit2, 32);
  v128.store(record, bit3, 48);
  // The rows as pairs: the same four sums over row indices.
  const r = rowSums;
  const r01 = f64x2.add(v128.load(r), v128.load(r, 16));
  const r23 = f64x2.add(v128.load(r, 32), v128.load(r, 48));
  const r45 = f64x2.add(v128.load(r, 64), v128.load(r, 80));
  const r67 = f64x2.add(v128.load(r, 96), v128.load(r, 112));
  const r4567 = f64x2.add(r45, r67);
  v128.store(record, f64x2.add(f64x2.add(r01, r23), r4567), 64);
  v128.store(record, f64x2.add(f64x2.add(v128.load(r, 16), v128.load(r, 48)), f64x2.add(v128.load(r, 80), v128.load(r, 112))), 80);
  v128.store(record, f64x2.add(r23, r67), 96);
  v128.store(record, r4567, 112);
}

/** The sum of the two lanes of the record's partial sum k. */
export function lanes(record: usize, k: i32): f64 {
  return load<f64>(record + (<usize>k << 4)) + load<f64>(record + (<usize>k << 4), 8);
}

/** Low player i's part of a record: lane 1 of the column (i = 0) or row (i = 4) total, else a sum over bit i & 3. */
export function lowShare(record: usize, i: i32): f64 {
  const k = i & 3;
  const base = record + (i < 4 ? 0 : 64);
  return k == 0 ? load<f64>(base, 8) : lanes(base, k);
}

