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

import { Design } from './design';
import { cholesky, choleskySolve } from './linalg';
import { binomial } from './weights';

const MAX_PLAYERS = 64;
const MAX_DEGREE = 4;
const MAX_PAIR_DEGREE = 1;
const MAX_FEATURES = MAX_PLAYERS * (MAX_DEGREE + 1) + (MAX_PAIR_DEGREE + 1) * ((MAX_PLAYERS * (MAX_PLAYERS - 1)) / 2) + MAX_PLAYERS + 1;
const active = memory.data(MAX_FEATURES * 4, 16);
const classCount = memory.data((MAX_PLAYERS + 1) * 8, 16);
const classWeight = memory.data((MAX_PLAYERS + 1) * 8, 16);
const featureValue = memory.data(MAX_FEATURES * 8, 16);

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

/** b(c) for the pairwise coefficient whose first-block index is `index`. */
export function pairAt(coefs: usize, n: i32, pairDegree: i32, index: i32, c: i32): f64 {
  const t = sizeCoordinate(n, c);
  const block = (n * (n - 1)) / 2;
  let value: f64 = 0;
  let power: f64 = 1;
  for (let e = 0; e <= pairDegree; e++) {
    value += power * load<f64>(coefs + (<usize>(index + e * block) << 3));
    power *= t;
  }
  return value;
}

/** The size coordinate t = (2c - n) / n in [-1, 1]. */
// @ts-ignore: decorator
@inline
export function sizeCoordinate(n: i32, c: i32): f64 {
  return <f64>(2 * c - n) / <f64>n;
}

/** a_i(c) for the proxy at `coefs`. */
export function additiveAt(coefs: usize, n: i32, degree: i32, i: i32, c: i32): f64 {
  const t = sizeCoordinate(n, c);
  let value: f64 = 0;
  let power: f64 = 1;
  for (let d = 0; d <= degree; d++) {
    value += power * load<f64>(coefs + (<usize>(d * n + i) << 3));
    power *= t;
  }
  return value;
}

/** Whether coalitions of size c are described by their complement. */
// @ts-ignore: decorator
@inline
export function byComplement(n: i32, c: i32): bool {
  return 2 * c > n;
}

/** f(S) for the proxy at `coefs`, up to a constant per coalition size. */
export function proxyValue(coefs: usize, n: i32, degree: i32, pairDegree: i32, mask: u64, full: u64): f64 {
  const c = <i32>popcnt(mask);
  const flip = byComplement(n, c);
  const sign: f64 = flip ? -1 : 1;
  let value: f64 = 0;
  let bits = flip ? mask ^ full : mask;
  while (bits != 0) {
    const i = <i32>ctz(bits);
    value += sign * additiveAt(coefs, n, degree, i, c);
    if (pairDegree >= 0) {
      let later = bits & (bits - 1);
      while (later != 0) {
        value += pairAt(coefs, n, pairDegree, pairIndex(n, degree, i, <i32>ctz(later)), c);
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

/**
 * Fits one proxy per fold into coefs (folds x proxyCoefficients). scratch holds
 * (folds + 1) p x p matrices and (folds + 1) p vectors, p = coefficients + n + 1.
 * ridge scales the mean diagonal added to the coefficients' diagonal.
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
  memory.fill(scratch, 0, matrixBytes * <usize>(folds + 1) + (<usize>p << 3) * <usize>(folds + 1));

  countClasses(d, classCount);
  for (let c = 0; c <= n; c++) {
    const m = load<f64>(classCount + (<usize>c << 3));
    const size = binomial(n, c);
    const sampled = c > 0 && c < n && m > 0 && m < size;
    const weight = sampled ? (<f64>n / <f64>(c * (n - c))) * (1 - m / size) / (m * m) : 0;
    store<f64>(classWeight + (<usize>c << 3), weight);
  }

  for (let j = 0; j < d.told; j++) {
    const mask = load<u64>(d.masks + (<usize>j << 3));
    const c = <i32>popcnt(mask);
    const weight = load<f64>(classWeight + (<usize>c << 3));
    if (weight == 0) continue;
    const fold = load<i32>(d.rank + (<usize>j << 2)) % folds;
    const gram = scratch + matrixBytes * <usize>fold;
    const target = rhs + (<usize>(fold * p) << 3);
    // Active features in increasing index order, so (a, b <= a) fills the lower triangle.
    const t = sizeCoordinate(n, c);
    const flip = byComplement(n, c);
    const described = flip ? mask ^ d.full : mask;
    let count = 0;
    let power: f64 = flip ? -1 : 1;
    for (let e = 0; e <= degree; e++) {
      let bits = described;
      while (bits != 0) {
        store<i32>(active + (<usize>count << 2), e * n + <i32>ctz(bits));
        store<f64>(featureValue + (<usize>count << 3), power);
        count++;
        bits &= bits - 1;
      }
      power *= t;
    }
    const members = <i32>popcnt(described);
    power = 1;
    for (let e = 0; e <= pairDegree; e++) {
      for (let a = 0; a < members; a++) {
        const i = load<i32>(active + (<usize>a << 2));
        for (let b = a + 1; b < members; b++) {
          store<i32>(active + (<usize>count << 2), pairIndex(n, degree, i, load<i32>(active + (<usize>b << 2))) + e * block);
          store<f64>(featureValue + (<usize>count << 3), power);
          count++;
        }
      }
      power *= t;
    }
    store<i32>(active + (<usize>count << 2), pc + c);
    store<f64>(featureValue + (<usize>count << 3), 1);
    count++;
    const y = weight * load<f64>(d.values + (<usize>j << 3));
    for (let a = 0; a < count; a++) {
      const u = load<i32>(active + (<usize>a << 2));
      const scaled = weight * load<f64>(featureValue + (<usize>a << 3));
      const rowStart = gram + (<usize>u * <usize>p << 3);
      for (let b = 0; b <= a; b++) {
        const at = rowStart + (<usize>load<i32>(active + (<usize>b << 2)) << 3);
        store<f64>(at, load<f64>(at) + scaled * load<f64>(featureValue + (<usize>b << 3)));
      }
      const at = target + (<usize>u << 3);
      store<f64>(at, load<f64>(at) + y * load<f64>(featureValue + (<usize>a << 3)));
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
