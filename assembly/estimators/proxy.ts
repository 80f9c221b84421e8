// The proxy game of the msr estimator: f(S) = sum_{i in S} a_i(|S|) +
// sum_{i<j in S} b_ij, where a_i(c) = sum_{d <= degree} a_id t^d with
// t = (2c - n) / n lets a player's additive effect drift with the coalition's
// size (as it does for higher-order interactions). Fitted by weighted least squares on the design's
// sampled coalitions with one free intercept per coalition size (the
// estimator centres residuals per size, so those constants cost nothing).
//
// Coalitions larger than half the players are described by their complement
// T = N \ S: the additive part as -sum_{i in T} a_i(c) (the same function up
// to a per-size constant) and the pairwise part as sum_{i<j in T} b_ij(c).
// That keeps the features active in any coalition at min(c, n-c) players,
// so accumulating the normal equations stays cheap for large coalitions.
//
// Cross-fitting: coalitions are split into folds by their unit's rank, and
// the proxy used on fold k is fitted on the other folds only, so each fold's
// Monte Carlo correction stays unbiased given its proxy. A sample of size c
// weighs kappa_c * fpc_c / m_c^2, its share of the estimator's variance
// (kappa_c = n / (c (n - c)) = sum_i h_i(S)^2, see strata.ts).

import { Design } from '../sampling/design';
import { cholesky, choleskySolve } from './linalg';
import { binomial } from '../exact/weights';

const MAX_PLAYERS = 64;
const MAX_DEGREE = 4;
const MAX_PAIR_DEGREE = 1;
/** Base indicators: players, then pairs. */
const MAX_BASE = MAX_PLAYERS + (MAX_PLAYERS * (MAX_PLAYERS - 1)) / 2;
const active = memory.data(MAX_BASE * 4, 16);
const classCount = memory.data((MAX_PLAYERS + 1) * 8, 16);
const classWeight = memory.data((MAX_PLAYERS + 1) * 8, 16);

/**
 * Coefficients of a proxy: n (degree + 1) additive, then (pairDegree + 1)
 * blocks of n(n-1)/2 pairwise (pairDegree -1: none; b_ij(c) = sum_e b_ije t^e).
 */
export function proxyCoefficients(n: i32, degree: i32, pairDegree: i32): i32 {
  return n * (degree + 1) + (pairDegree + 1) * ((n * (n - 1)) / 2);
}

/** Index of b_ij (i < j) in the first pairwise block. */
// @ts-ignore: decorator
@inline
export function pairIndex(n: i32, degree: i32, i: i32, j: i32): i32 {
  return n * (degree + 1) + (i * (2 * n - i - 1)) / 2 + (j - i - 1);
}

/** sum over e = 0..degree of t^e * (the f64 at `at` + e * `stride` bytes): a coefficient's polynomial in coalition size. */
// @ts-ignore: decorator
@inline
function polyAt(at: usize, stride: usize, degree: i32, t: f64): f64 {
  let value: f64 = 0;
  let power: f64 = 1;
  for (let e = 0; e <= degree; e++) {
    value += power * load<f64>(at + <usize>e * stride);
    power *= t;
  }
  return value;
}

/** polyAt as a call, for readers outside the pairwise loop (one copy of the loop instead of one per reader). */
function polyAtCall(at: usize, stride: usize, degree: i32, t: f64): f64 {
  return polyAt(at, stride, degree, t);
}

/** b(c) for the pairwise coefficient whose first-block index is `index`. */
export function pairAt(coefs: usize, n: i32, pairDegree: i32, index: i32, c: i32): f64 {
  return polyAtCall(coefs + (<usize>index << 3), <usize>((n * (n - 1)) / 2) << 3, pairDegree, sizeCoordinate(n, c));
}

/** The size coordinate t = (2c - n) / n in [-1, 1]. */
export function sizeCoordinate(n: i32, c: i32): f64 {
  return <f64>(2 * c - n) / <f64>n;
}

/** a_i(c) for the proxy at `coefs`. */
export function additiveAt(coefs: usize, n: i32, degree: i32, i: i32, c: i32): f64 {
  return polyAtCall(coefs + (<usize>i << 3), <usize>n << 3, degree, sizeCoordinate(n, c));
}

/** Whether coalitions of size c are described by their complement. */
// @ts-ignore: decorator
@inline
export function byComplement(n: i32, c: i32): bool {
  return 2 * c > n;
}

/**
 * f(S) for the proxy at `coefs`, up to a constant per coalition size. Each
 * a_i(c) and b_ij(c) is evaluated exactly as additiveAt and pairAt do, with t
 * and each row's pair index computed once.
 */
export function proxyValue(coefs: usize, n: i32, degree: i32, pairDegree: i32, mask: u64, full: u64): f64 {
  const c = <i32>popcnt(mask);
  const flip = byComplement(n, c);
  const sign: f64 = flip ? -1 : 1;
  const t = sizeCoordinate(n, c);
  const blockBytes = <usize>((n * (n - 1)) / 2) << 3;
  let value: f64 = 0;
  let bits = flip ? mask ^ full : mask;
  while (bits != 0) {
    const i = <i32>ctz(bits);
    value += sign * polyAtCall(coefs + (<usize>i << 3), <usize>n << 3, degree, t);
    if (pairDegree >= 0) {
      // b_ij sits at row + j.
      const row = coefs + (<usize>(pairIndex(n, degree, i, i + 1) - i - 1) << 3);
      let later = bits & (bits - 1);
      while (later != 0) {
        value += polyAt(row + (<usize>ctz(later) << 3), blockBytes, pairDegree, t);
        later &= later - 1;
      }
    }
    bits &= bits - 1;
  }
  return value;
}

/** Counts coalitions per size among the told ones into classCount. */
export function countClasses(d: Design, counts: usize): void {
  memory.fill(counts, 0, <usize>(d.n + 1) << 3);
  for (let j = 0; j < d.told; j++) {
    const c = <i32>popcnt(load<u64>(d.masks + (<usize>j << 3)));
    const slot = counts + (<usize>c << 3);
    store<f64>(slot, load<f64>(slot) + 1);
  }
}

// Blocks of the proxy's features, in index order: degree + 1 additive blocks
// (n players each), then pairDegree + 1 pairwise blocks (n(n-1)/2 pairs each).
const MAX_BLOCKS = MAX_DEGREE + MAX_PAIR_DEGREE + 2;
const blockOffset = memory.data(MAX_BLOCKS * 4, 16);
const blockBase = memory.data(MAX_BLOCKS * 4, 16);
const blockLength = memory.data(MAX_BLOCKS * 4, 16);
/** Per block, the constant of its features in the small and the large size of a pair. */
const blockFactor = memory.data(MAX_BLOCKS * 8, 16);
const blockFactorLarge = memory.data(MAX_BLOCKS * 8, 16);
const classStart = memory.data((MAX_PLAYERS + 2) * 4, 16);
/** Per (size, fold): coalitions, and those told next to their complement in the same fold. */
const MAX_PAIRED_FOLDS = 8;
const foldCount = memory.data((MAX_PLAYERS + 1) * MAX_PAIRED_FOLDS * 4, 16);
const pairedCount = memory.data((MAX_PLAYERS + 1) * MAX_PAIRED_FOLDS * 4, 16);
let bucketTotal: f64 = 0;

/** Whether every coalition of sizes small and large in the fold was told next to its complement. */
function pairedFold(small: i32, large: i32, fold: i32): bool {
  const a = <usize>(small * MAX_PAIRED_FOLDS + fold) << 2;
  const b = <usize>(large * MAX_PAIRED_FOLDS + fold) << 2;
  const count = load<i32>(foldCount + a);
  return count > 0 && count == load<i32>(pairedCount + a) && load<i32>(foldCount + b) == count && load<i32>(pairedCount + b) == count;
}

/** row[0..count) += factor * source[0..count). */
// @ts-ignore: decorator
@inline
function axpy(row: usize, source: usize, factor: f64, count: i32): void {
  const f = f64x2.splat(factor);
  let k = 0;
  for (; k + 2 <= count; k += 2) {
    const offset = <usize>k << 3;
    v128.store(row + offset, f64x2.add(v128.load(row + offset), f64x2.mul(f, v128.load(source + offset))));
  }
  if (k < count) {
    const offset = <usize>k << 3;
    store<f64>(row + offset, load<f64>(row + offset) + factor * load<f64>(source + offset));
  }
}

/** The features' constants in size c: +-t^e for the additive blocks, t^e for the pairwise ones. */
function sizeFactors(n: i32, c: i32, degree: i32, blocks: i32, factors: usize): void {
  const t = sizeCoordinate(n, c);
  let power: f64 = byComplement(n, c) ? -1 : 1;
  for (let b = 0; b <= degree; b++) {
    store<f64>(factors + (<usize>b << 3), power);
    power *= t;
  }
  power = 1;
  for (let b = degree + 1; b < blocks; b++) {
    store<f64>(factors + (<usize>b << 3), power);
    power *= t;
  }
}

/**
 * Adds the coalitions order[first..last) of the fold to the base indicators'
 * sums of v (and, if counts != 0, to their co-occurrence counts, lower
 * triangle, q per row); returns how many there were, their sum of v in bucketTotal.
 */
function accumulateBucket(
  d: Design, order: usize, first: i32, last: i32, fold: i32, folds: i32, pairs: bool, counts: usize, q: i32, sums: usize,
): i32 {
  const n = d.n;
  const rowBytes = <usize>q << 3;
  let taken = 0;
  let total: f64 = 0;
  for (let k = first; k < last; k++) {
    const j = load<i32>(order + (<usize>k << 2));
    if (load<i32>(d.rank + (<usize>j << 2)) % folds != fold) continue;
    const mask = load<u64>(d.masks + (<usize>j << 3));
    const v = load<f64>(d.values + (<usize>j << 3));
    taken++;
    total += v;
    // Active base indicators in increasing order, so (a, b <= a) fills the lower triangle.
    let count = 0;
    let bits = byComplement(n, <i32>popcnt(mask)) ? mask ^ d.full : mask;
    while (bits != 0) {
      store<i32>(active + (<usize>count << 2), <i32>ctz(bits));
      count++;
      bits &= bits - 1;
    }
    if (pairs) {
      const members = count;
      for (let a = 0; a < members; a++) {
        const i = load<i32>(active + (<usize>a << 2));
        for (let b = a + 1; b < members; b++) {
          store<i32>(active + (<usize>count << 2), pairIndex(n, 0, i, load<i32>(active + (<usize>b << 2))));
          count++;
        }
      }
    }
    for (let a = 0; a < count; a++) {
      const u = load<i32>(active + (<usize>a << 2));
      if (counts != 0) {
        const row = counts + <usize>u * rowBytes;
        for (let b = 0; b <= a; b++) {
          const at = row + (<usize>load<i32>(active + (<usize>b << 2)) << 3);
          store<f64>(at, load<f64>(at) + 1);
        }
      }
      const at = sums + (<usize>u << 3);
      store<f64>(at, load<f64>(at) + v);
    }
  }
  bucketTotal = total;
  return taken;
}

/**
 * Fits one proxy per fold into coefs (folds x proxyCoefficients). scratch holds
 * (folds + 1) p x p matrices and (folds + 1) p vectors, p = coefficients + n + 1,
 * then one i32 per told coalition.
 * ridge scales the mean diagonal added to the coefficients' diagonal.
 *
 * Within one coalition size c every feature is a base indicator (player i, or
 * pair ij, of the described side) times a constant: +-t^e for the additive
 * block e (minus when described by the complement), t^e for the pairwise block
 * e, 1 for the size's intercept. So each (size, fold) bucket accumulates the
 * co-occurrence counts of the base indicators and the sums of v over them,
 * and its share of the weighted normal equations follows once per bucket as
 * counts times products of those constants. When every coalition of sizes c
 * and n - c in a fold was told next to its complement, both sizes describe
 * the same sets (S, and N \ S by its complement S), so their counts are
 * accumulated and expanded once, with the two sizes' constants combined.
 */
export function proxyFit(state: usize, folds: i32, degree: i32, pairDegree: i32, ridge: f64, scratch: usize, coefs: usize): void {
  const d = changetype<Design>(state);
  const n = d.n;
  const pc = proxyCoefficients(n, degree, pairDegree);
  const block = (n * (n - 1)) / 2;
  const p = pc + n + 1;
  const square = <usize>p * <usize>p;
  const matrixBytes = square << 3;
  const rhs = scratch + matrixBytes * <usize>(folds + 1);
  const order = rhs + (<usize>(p * (folds + 1)) << 3);
  memory.fill(scratch, 0, matrixBytes * <usize>(folds + 1) + (<usize>p << 3) * <usize>(folds + 1));

  countClasses(d, classCount);
  for (let c = 0; c <= n; c++) {
    const m = load<f64>(classCount + (<usize>c << 3));
    const size = binomial(n, c);
    const sampled = c > 0 && c < n && m > 0 && m < size;
    const weight = sampled ? (<f64>n / <f64>(c * (n - c))) * (1 - m / size) / (m * m) : 0;
    store<f64>(classWeight + (<usize>c << 3), weight);
  }

  // Told coalitions ordered by size (counting sort), in told order within a size.
  let start = 0;
  for (let c = 0; c <= n; c++) {
    store<i32>(classStart + (<usize>c << 2), start);
    start += <i32>load<f64>(classCount + (<usize>c << 3));
  }
  store<i32>(classStart + (<usize>(n + 1) << 2), start);
  for (let j = 0; j < d.told; j++) {
    const slot = classStart + (<usize>popcnt(load<u64>(d.masks + (<usize>j << 3))) << 2);
    const at = load<i32>(slot);
    store<i32>(order + (<usize>at << 2), j);
    store<i32>(slot, at + 1);
  }
  // classStart[c] now holds the end of size c, the start of size c + 1.

  // Which coalitions were told next to their complement, in the same fold.
  const pairing = folds <= MAX_PAIRED_FOLDS;
  if (pairing) {
    const bytes = <usize>((n + 1) * MAX_PAIRED_FOLDS) << 2;
    memory.fill(foldCount, 0, bytes);
    memory.fill(pairedCount, 0, bytes);
    let j = 0;
    while (j < d.told) {
      const mask = load<u64>(d.masks + (<usize>j << 3));
      const fold = load<i32>(d.rank + (<usize>j << 2)) % folds;
      const slot = <usize>(<i32>popcnt(mask) * MAX_PAIRED_FOLDS + fold) << 2;
      store<i32>(foldCount + slot, load<i32>(foldCount + slot) + 1);
      if (j + 1 < d.told && (load<u64>(d.masks + (<usize>(j + 1) << 3)) ^ mask) == d.full &&
        load<i32>(d.rank + (<usize>(j + 1) << 2)) % folds == fold) {
        const other = <usize>((n - <i32>popcnt(mask)) * MAX_PAIRED_FOLDS + fold) << 2;
        store<i32>(foldCount + other, load<i32>(foldCount + other) + 1);
        store<i32>(pairedCount + slot, load<i32>(pairedCount + slot) + 1);
        store<i32>(pairedCount + other, load<i32>(pairedCount + other) + 1);
        j += 2;
      } else {
        j++;
      }
    }
  }

  // Base indicators: n players, then (pairDegree >= 0) the pairs in pairIndex order.
  const pairs = pairDegree >= 0;
  const q = pairs ? n + block : n;
  const rowBytes = <usize>q << 3;
  const counts = scratch + matrixBytes * <usize>folds; // q x q, then two q sums, inside the work matrix (q + 2 < p)
  const sums = counts + <usize>q * rowBytes;
  const sumsLarge = sums + rowBytes;
  const blocks = degree + 1 + (pairDegree + 1);
  for (let b = 0; b < blocks; b++) {
    const additive = b <= degree;
    store<i32>(blockOffset + (<usize>b << 2), additive ? b * n : n * (degree + 1) + (b - degree - 1) * block);
    store<i32>(blockBase + (<usize>b << 2), additive ? 0 : n);
    store<i32>(blockLength + (<usize>b << 2), additive ? n : block);
  }

  for (let c = 1; c < n; c++) {
    const weight = load<f64>(classWeight + (<usize>c << 3));
    if (weight == 0) continue;
    const large = n - c;
    const pairable = pairing && c < large && load<f64>(classWeight + (<usize>large << 3)) != 0;
    if (pairable) sizeFactors(n, large, degree, blocks, blockFactorLarge);
    sizeFactors(n, c, degree, blocks, blockFactor);
    for (let fold = 0; fold < folds; fold++) {
      // The large size of a pair is skipped in the folds its small size took it along.
      if (pairing && c > large && load<f64>(classWeight + (<usize>large << 3)) != 0 && pairedFold(c, large, fold)) continue;
      const merged = pairable && pairedFold(c, large, fold);
      memory.fill(counts, 0, <usize>q * rowBytes + rowBytes * (merged ? 2 : 1));
      const taken = accumulateBucket(
        d, order, load<i32>(classStart + (<usize>(c - 1) << 2)), load<i32>(classStart + (<usize>c << 2)), fold, folds, pairs, counts, q, sums,
      );
      const total = bucketTotal;
      if (taken == 0) continue;
      let weightLarge: f64 = 0;
      let takenLarge = 0;
      let totalLarge: f64 = 0;
      if (merged) {
        weightLarge = load<f64>(classWeight + (<usize>large << 3));
        takenLarge = accumulateBucket(
          d, order, load<i32>(classStart + (<usize>(large - 1) << 2)), load<i32>(classStart + (<usize>large << 2)), fold, folds, pairs, 0, q,
          sumsLarge,
        );
        totalLarge = bucketTotal;
      }
      // Mirror the counts into the upper triangle: blocks below the diagonal read whole rows.
      for (let u = 1; u < q; u++) {
        const row = counts + <usize>u * rowBytes;
        for (let v = 0; v < u; v++) store<f64>(counts + <usize>v * rowBytes + (<usize>u << 3), load<f64>(row + (<usize>v << 3)));
      }
      const gram = scratch + matrixBytes * <usize>fold;
      const target = rhs + (<usize>(fold * p) << 3);
      const intercept = gram + (<usize>(pc + c) * <usize>p << 3);
      const interceptLarge = gram + (<usize>(pc + large) * <usize>p << 3);
      for (let x = 0; x < blocks; x++) {
        const offsetX = load<i32>(blockOffset + (<usize>x << 2));
        const baseX = load<i32>(blockBase + (<usize>x << 2));
        const lengthX = load<i32>(blockLength + (<usize>x << 2));
        const factorX = load<f64>(blockFactor + (<usize>x << 3));
        const scaleX = weight * factorX;
        const factorLargeX = merged ? load<f64>(blockFactorLarge + (<usize>x << 3)) : 0;
        const scaleLargeX = weightLarge * factorLargeX;
        for (let r = 0; r < lengthX; r++) {
          const u = offsetX + r;
          const row = gram + (<usize>u * <usize>p << 3);
          const source = counts + <usize>(baseX + r) * rowBytes;
          for (let y = 0; y <= x; y++) {
            const factorY = load<f64>(blockFactor + (<usize>y << 3));
            const factorLargeY = merged ? load<f64>(blockFactorLarge + (<usize>y << 3)) : 0;
            axpy(
              row + (<usize>load<i32>(blockOffset + (<usize>y << 2)) << 3),
              source + (<usize>load<i32>(blockBase + (<usize>y << 2)) << 3),
              scaleX * factorY + scaleLargeX * factorLargeY,
              y < x ? load<i32>(blockLength + (<usize>y << 2)) : r + 1,
            );
          }
          const diagonal = load<f64>(source + (<usize>(baseX + r) << 3));
          store<f64>(intercept + (<usize>u << 3), load<f64>(intercept + (<usize>u << 3)) + scaleX * diagonal);
          const at = target + (<usize>u << 3);
          store<f64>(at, load<f64>(at) + scaleX * load<f64>(sums + (<usize>(baseX + r) << 3)));
          if (merged) {
            store<f64>(interceptLarge + (<usize>u << 3), load<f64>(interceptLarge + (<usize>u << 3)) + scaleLargeX * diagonal);
            store<f64>(at, load<f64>(at) + scaleLargeX * load<f64>(sumsLarge + (<usize>(baseX + r) << 3)));
          }
        }
      }
      const corner = intercept + (<usize>(pc + c) << 3);
      store<f64>(corner, load<f64>(corner) + weight * <f64>taken);
      store<f64>(target + (<usize>(pc + c) << 3), load<f64>(target + (<usize>(pc + c) << 3)) + weight * total);
      if (merged) {
        const cornerLarge = interceptLarge + (<usize>(pc + large) << 3);
        store<f64>(cornerLarge, load<f64>(cornerLarge) + weightLarge * <f64>takenLarge);
        store<f64>(target + (<usize>(pc + large) << 3), load<f64>(target + (<usize>(pc + large) << 3)) + weightLarge * totalLarge);
      }
    }
  }

  const work = scratch + matrixBytes * <usize>folds;
  const workRhs = rhs + (<usize>(folds * p) << 3);
  for (let k = 0; k < folds; k++) {
    memory.fill(work, 0, matrixBytes);
    memory.fill(workRhs, 0, <usize>p << 3);
    for (let f = 0; f < folds; f++) {
      if (f == k && folds > 1) continue;
      const gram = scratch + matrixBytes * <usize>f;
      for (let u = 0; u < p; u++) {
        const offset = <usize>u * <usize>p << 3;
        for (let v = 0; v <= u; v++) {
          const at = work + offset + (<usize>v << 3);
          store<f64>(at, load<f64>(at) + load<f64>(gram + offset + (<usize>v << 3)));
        }
        const at = workRhs + (<usize>u << 3);
        store<f64>(at, load<f64>(at) + load<f64>(rhs + (<usize>(f * p + u) << 3)));
      }
    }
    let trace: f64 = 0;
    for (let u = 0; u < pc; u++) trace += load<f64>(work + (<usize>(u * p + u) << 3));
    const shrink = ridge * trace / <f64>pc + 1e-300;
    for (let u = 0; u < p; u++) {
      const at = work + (<usize>(u * p + u) << 3);
      store<f64>(at, load<f64>(at) + (u < pc ? shrink : 1e-9 * shrink));
    }
    cholesky(work, p, 1e-11);
    choleskySolve(work, p, workRhs);
    memory.copy(coefs + (<usize>(k * pc) << 3), workRhs, <usize>pc << 3);
  }
}
