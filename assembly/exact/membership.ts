// The streaming pass behind the exact kernels (see exact.ts for the idea),
// stateless: every buffer it reads or writes is passed in, so the same code
// serves the module's own exact pass and pool workers sharing one memory
// (shared-exact.ts).

const LOW_BITS: i32 = 8;

/** Bits of a coalition mask that index inside a block. */
export function lowBitsOf(n: i32): i32 {
  return n < LOW_BITS ? n : LOW_BITS;
}

/** Bytes of weight vectors for n players: see prepareWeightVectors. */
export function weightVectorBytes(n: i32): usize {
  return <usize>((n - lowBitsOf(n) + 3) << lowBitsOf(n)) << 3;
}

/**
 * One weight vector per popcount h of the high bits into `vectors`: vector
 * h, entry lo = coef[h + popcount(lo)], and 0 past coef[n]. Two rows past
 * the last popcount (n - lowBits): accumulateBlocks reads row h + 2 to make
 * row h + 1, and weighs the zeros of streams without a block by them.
 */
export function prepareWeightVectors(n: i32, coef: usize, vectors: usize): void {
  const lowBits = lowBitsOf(n);
  const lowSize = 1 << lowBits;
  for (let h = 0; h <= n - lowBits + 2; h++) {
    const vector = vectors + <usize>(h * lowSize) * 8;
    for (let lo = 0; lo < lowSize; lo++) {
      const k = h + popcnt(lo);
      store<f64>(vector + (<usize>lo << 3), k <= n ? load<f64>(coef + (<usize>k << 3)) : 0);
    }
  }
}

/**
 * Adds the blocks [firstHi, firstHi + count), whose entries start at
 * `blocks`, to `out` (credit of each high player) and `lows` (weighted sum
 * per low pattern), weighting by `vectors` (see prepareWeightVectors), or
 * by 1 when `vectors` is 0 (Banzhaf: the loop then only adds). Returns the
 * weighted sum.
 *
 * Four blocks a quarter of the range apart are read at a time: four streams
 * keep more of the table in flight from memory than one does, and the
 * pattern sums are read and written once for four blocks instead of for
 * each (on a table in memory at n = 22: 1.1-1.3x the floor, against
 * 1.3-1.5x block by block). Their weight rows are h, h + 1, h + 1 and
 * h + 2, and row h + 1 is made from the other two, so each step loads two
 * weight vectors, not four (1.1-1.3x the floor through shapley() at
 * n = 22-24, against 1.3-1.6x). `count` is a power of two and `firstHi` a
 * multiple of it (a chunk, or a whole table); below 4 blocks the streams
 * without a block read `zeros`, a block of zeros the caller keeps.
 */
export function accumulateBlocks(blocks: usize, n: i32, firstHi: u64, count: u64, out: usize, lows: usize, vectors: usize, zeros: usize): f64 {
  const lowBits = lowBitsOf(n);
  const rowBytes = <usize>8 << lowBits;
  const q = count < 4 ? 1 : count >> 2;
  const qBytes = <usize>q * rowBytes;
  let total: f64 = 0;
  for (let b: u64 = 0; b < q; b++) {
    const h0 = firstHi + b;
    const x0 = blocks + <usize>b * rowBytes;
    const x1 = count > 1 ? x0 + qBytes : zeros;
    const x2 = count > 2 ? x0 + 2 * qBytes : zeros;
    const x3 = count > 2 ? x0 + 3 * qBytes : zeros;
    // firstHi is a multiple of count (a chunk, or the whole table), so block h0 + k q has popcount(h0) + popcount(k):
    // the streams take weight rows h, h + 1, h + 1 and h + 2 (streams without a block weigh their zeros by rows up to
    // two past the last popcount, which prepareWeightVectors fills).
    const w0 = vectors + <usize>popcnt(h0) * rowBytes;
    const w2 = w0 + 2 * rowBytes;
    let s0 = f64x2.splat(0);
    let s1 = f64x2.splat(0);
    let s2 = f64x2.splat(0);
    let s3 = f64x2.splat(0);
    for (let offset: usize = 0; offset < rowBytes; offset += 16) {
      let p0 = v128.load(x0 + offset);
      let p1 = v128.load(x1 + offset);
      let p2 = v128.load(x2 + offset);
      let p3 = v128.load(x3 + offset);
      // (The test for weights is predicted and costs less than a second copy of the loop would.)
      if (vectors != 0) {
        // Row h + 1 is not loaded: a pair of patterns (even, odd) differs by one in popcount, so its weights are
        // row h's second lane and row h + 2's first. Two weight loads instead of four.
        const a = v128.load(w0 + offset);
        const c = v128.load(w2 + offset);
        const b = v128.shuffle<f64>(a, c, 1, 2);
        p0 = f64x2.mul(p0, a);
        p1 = f64x2.mul(p1, b);
        p2 = f64x2.mul(p2, b);
        p3 = f64x2.mul(p3, c);
      }
      const l = lows + offset;
      v128.store(l, f64x2.add(v128.load(l), f64x2.add(f64x2.add(p0, p1), f64x2.add(p2, p3))));
      s0 = f64x2.add(s0, p0);
      s1 = f64x2.add(s1, p1);
      s2 = f64x2.add(s2, p2);
      s3 = f64x2.add(s3, p3);
    }
    total += creditBlock(out, lowBits, h0, laneSum(s0));
    // A stream without a block summed zeros: adding its 0 to the slots of h0 + k q changes no value.
    total += creditBlock(out, lowBits, h0 + q, laneSum(s1));
    total += creditBlock(out, lowBits, h0 + 2 * q, laneSum(s2));
    total += creditBlock(out, lowBits, h0 + 3 * q, laneSum(s3));
  }
  return total;
}

function laneSum(sums: v128): f64 {
  return f64x2.extract_lane(sums, 0) + f64x2.extract_lane(sums, 1);
}

/**
 * accumulateBlocks for blocks already in cache (a chunk just copied into
 * Wasm memory), pattern-major: each run of 8 low patterns is summed over
 * every block in registers, and each block's weighted sum is kept as a
 * 2-lane partial in `blockSums` (16 bytes a block). That saves the
 * read-modify-write of `lows` for every block (a fifth less time in cache),
 * but it reads the blocks as `count` strided streams, which the hardware
 * prefetcher cannot follow through memory (twice as slow on a table that is
 * not in cache), so only chunks copied a moment before take this path.
 * Needs n >= 3 (runs of 8 patterns); the sums are those of accumulateBlocks,
 * added in another order.
 */
export function accumulateCachedBlocks(blocks: usize, n: i32, firstHi: u64, count: u64, out: usize, lows: usize, vectors: usize, blockSums: usize): f64 {
  const lowBits = lowBitsOf(n);
  const rowBytes = <usize>8 << lowBits;
  const end = blockSums + (<usize>count << 4);
  memory.fill(blockSums, 0, <usize>count << 4);
  for (let offset: usize = 0; offset < rowBytes; offset += 64) {
    // This run's pattern sums, added to in registers over every block.
    const l = lows + offset;
    let a0 = v128.load(l);
    let a1 = v128.load(l, 16);
    let a2 = v128.load(l, 32);
    let a3 = v128.load(l, 48);
    let x = blocks + offset;
    let hi = firstHi;
    for (let s = blockSums; s < end; s += 16) {
      const w = vectors + (<usize>popcnt(hi) << (lowBits + 3)) + offset;
      const p0 = f64x2.mul(v128.load(x), v128.load(w));
      const p1 = f64x2.mul(v128.load(x, 16), v128.load(w, 16));
      const p2 = f64x2.mul(v128.load(x, 32), v128.load(w, 32));
      const p3 = f64x2.mul(v128.load(x, 48), v128.load(w, 48));
      a0 = f64x2.add(a0, p0);
      a1 = f64x2.add(a1, p1);
      a2 = f64x2.add(a2, p2);
      a3 = f64x2.add(a3, p3);
      v128.store(s, f64x2.add(v128.load(s), f64x2.add(f64x2.add(p0, p1), f64x2.add(p2, p3))));
      x += rowBytes;
      hi++;
    }
    v128.store(l, a0);
    v128.store(l, a1, 16);
    v128.store(l, a2, 32);
    v128.store(l, a3, 48);
  }
  let total: f64 = 0;
  for (let b: u64 = 0; b < count; b++) {
    const s = blockSums + (<usize>b << 4);
    total += creditBlock(out, lowBits, firstHi + b, load<f64>(s) + load<f64>(s, 8));
  }
  return total;
}

/** Adds a block's weighted sum to each of its high players; returns the sum. */
export function creditBlock(out: usize, lowBits: i32, hi: u64, blockSum: f64): f64 {
  let bits = hi;
  while (bits != 0) {
    const slot = out + (<usize>(lowBits + <i32>ctz(bits)) << 3);
    store<f64>(slot, load<f64>(slot) + blockSum);
    bits &= bits - 1;
  }
  return blockSum;
}

/** The floor for benchmarks: a SIMD sum that reads every entry once. */
export function tableSum(table: usize, count: usize): f64 {
  let acc0 = f64x2.splat(0);
  let acc1 = f64x2.splat(0);
  let i: usize = 0;
  for (; i + 4 <= count; i += 4) {
    acc0 = f64x2.add(acc0, v128.load(table + (i << 3)));
    acc1 = f64x2.add(acc1, v128.load(table + (i << 3), 16));
  }
  const acc = f64x2.add(acc0, acc1);
  let sum = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  for (; i < count; i++) sum += load<f64>(table + (i << 3));
  return sum;
}
