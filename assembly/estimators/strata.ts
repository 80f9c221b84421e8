// The size-stratified estimator behind svarm and msr.
//
// With h_i(S) = 1/|S| when i is in S and -1/(n-|S|) otherwise,
//   phi_i = (v(N) - v(empty)) / n + sum_{c=1}^{n-1} E_c[v(S) h_i(S)],
// E_c the mean over all coalitions of size c (the stratified form of
// SVARM: every coalition updates every player). E_c[h_i] = 0, so each size's
// term is a covariance and residuals are centred per size, which cancels
// any constant per size. For msr, v = f + r with f a fitted proxy (proxy.ts):
// E_c[f h_i] is taken exactly and only the residual r is sampled. Sizes the
// design enumerated enter exactly; sampled sizes use the unbiased
// without-replacement covariance estimator ((N-1)/N) sum (r - mean) h / (m-1):
// units are drawn without replacement, and a unit's two coalitions give
// d = r(S) - r(complement) against h_i(S) (h_i of the complement is -h_i(S)),
// so this is the sample covariance of (d, h) over units, unbiased for the
// class's term. The middle size n/2 is the exception: both coalitions of a
// unit are in the same class, the centring cancels (h sums to 0 over a
// unit), and the unbiased estimate is the plain mean sum (r h) / m; the
// covariance factor there was biased (4 players, budget 14: the null
// player's value off by 0.009 with every sample, and a standard error of 0).
// Sum_i h_i(S) = 0 for every S, so the estimate is exactly efficient.
//
// Standard errors: the terms of one unit (a coalition and its complement)
// are summed, and the spread of those unit sums within each class pair gives
// the variance, with the finite-population correction. A class pair neither
// enumerated nor sampled at least twice has unknown variance: every player's
// standard error is then +Infinity.

import { Design } from '../sampling/design';
import { additiveAt, byComplement, countClasses, pairAt, proxyCoefficients, proxyValue } from './proxy';
import { binomial } from '../exact/weights';

const MAX_PLAYERS = 64;
const MAX_FOLDS = 8;
const classCount = memory.data((MAX_PLAYERS + 1) * 8, 16);
const classMean = memory.data((MAX_PLAYERS + 1) * 8, 16);
const classFactor = memory.data((MAX_PLAYERS + 1) * 8, 16);
const foldCount = memory.data((MAX_PLAYERS + 1) * MAX_FOLDS * 8, 16);
const groupSum = memory.data((MAX_PLAYERS / 2 + 1) * MAX_PLAYERS * 8, 16);
const groupSquares = memory.data((MAX_PLAYERS / 2 + 1) * MAX_PLAYERS * 8, 16);
const groupUnits = memory.data((MAX_PLAYERS / 2 + 1) * 8, 16);
const unitTerms = memory.data(MAX_PLAYERS * 8, 16);
const proxySums = memory.data(MAX_PLAYERS * 8 * 3, 16);

// @ts-ignore: decorator
@inline
function f64Slot(base: usize, index: i32): usize {
  return base + (<usize>index << 3);
}

/**
 * Estimates into values (n) and stderr (n). `coefs` = 0 for svarm, else
 * `folds` proxies (proxy.ts layout); residuals: scratch of d.told f64.
 */
export function strataEstimate(
  state: usize, folds: i32, degree: i32, pairDegree: i32, coefs: usize, residuals: usize, values: usize, stderr: usize,
): void {
  const d = changetype<Design>(state);
  const n = d.n;
  const half = n >> 1;
  const pc = proxyCoefficients(n, degree, pairDegree);
  memory.fill(values, 0, <usize>n << 3);
  memory.fill(stderr, 0, <usize>n << 3);
  if (d.told < 2) {
    for (let i = 0; i < n; i++) store<f64>(f64Slot(stderr, i), Infinity);
    return;
  }
  countClasses(d, classCount);
  memory.fill(classMean, 0, <usize>(n + 1) << 3);
  memory.fill(foldCount, 0, <usize>((n + 1) * MAX_FOLDS) << 3);
  for (let j = 0; j < d.told; j++) {
    const mask = load<u64>(d.masks + (<usize>j << 3));
    const c = <i32>popcnt(mask);
    const m = load<f64>(f64Slot(classCount, c));
    let r = load<f64>(f64Slot(d.values, j));
    if (coefs != 0 && m < binomial(n, c)) {
      const fold = load<i32>(d.rank + (<usize>j << 2)) % folds;
      r -= proxyValue(coefs + (<usize>(fold * pc) << 3), n, degree, pairDegree, mask, d.full);
      const slot = f64Slot(foldCount, c * MAX_FOLDS + fold);
      store<f64>(slot, load<f64>(slot) + 1);
    }
    store<f64>(f64Slot(residuals, j), r);
    store<f64>(f64Slot(classMean, c), load<f64>(f64Slot(classMean, c)) + r);
  }
  for (let c = 1; c < n; c++) {
    const m = load<f64>(f64Slot(classCount, c));
    const size = binomial(n, c);
    let factor: f64 = 0;
    // The middle class (c = n - c) holds both coalitions of its units, so its
    // centring cancels and the unbiased factor is the plain mean over units.
    if (m >= size || (c + c == n && m >= 1)) factor = 1 / m;
    else if (m >= 2) factor = (size - 1) / (size * (m - 1));
    else if (m == 1) factor = 1;
    store<f64>(f64Slot(classFactor, c), factor);
    store<f64>(f64Slot(classMean, c), m >= 2 ? load<f64>(f64Slot(classMean, c)) / m : 0);
  }

  memory.fill(groupSum, 0, <usize>((half + 1) * n) << 3);
  memory.fill(groupSquares, 0, <usize>((half + 1) * n) << 3);
  memory.fill(groupUnits, 0, <usize>(half + 1) << 3);
  let j = 0;
  while (j < d.told) {
    const unit = load<i32>(d.unitOf + (<usize>j << 2));
    memory.fill(unitTerms, 0, <usize>n << 3);
    let group = -1;
    while (j < d.told && load<i32>(d.unitOf + (<usize>j << 2)) == unit) {
      const mask = load<u64>(d.masks + (<usize>j << 3));
      const c = <i32>popcnt(mask);
      if (c > 0 && c < n) {
        group = c < n - c ? c : n - c;
        const weight = load<f64>(f64Slot(classFactor, c)) * (load<f64>(f64Slot(residuals, j)) - load<f64>(f64Slot(classMean, c)));
        const outside = -weight / <f64>(n - c);
        const inside = weight / <f64>c - outside;
        for (let i = 0; i < n; i++) store<f64>(f64Slot(unitTerms, i), load<f64>(f64Slot(unitTerms, i)) + outside);
        let bits = mask;
        while (bits != 0) {
          const slot = f64Slot(unitTerms, <i32>ctz(bits));
          store<f64>(slot, load<f64>(slot) + inside);
          bits &= bits - 1;
        }
      }
      j++;
    }
    if (group < 0) continue;
    const sums = groupSum + (<usize>(group * n) << 3);
    const squares = groupSquares + (<usize>(group * n) << 3);
    for (let i = 0; i < n; i++) {
      const z = load<f64>(f64Slot(unitTerms, i));
      store<f64>(f64Slot(values, i), load<f64>(f64Slot(values, i)) + z);
      store<f64>(f64Slot(sums, i), load<f64>(f64Slot(sums, i)) + z);
      store<f64>(f64Slot(squares, i), load<f64>(f64Slot(squares, i)) + z * z);
    }
    store<f64>(f64Slot(groupUnits, group), load<f64>(f64Slot(groupUnits, group)) + 1);
  }

  for (let g = 1; g <= half; g++) {
    const units = load<f64>(f64Slot(groupUnits, g));
    // The pair is known exactly only when both its classes are complete: an
    // odd budget's unpaired coalition can complete one while the other is sampled.
    const m = min(load<f64>(f64Slot(classCount, g)), load<f64>(f64Slot(classCount, n - g)));
    const size = binomial(n, g);
    if (m >= size) continue;
    if (units < 2) {
      // A sampled pair seen fewer than twice: its variance, and so every
      // player's standard error, cannot be estimated yet.
      for (let i = 0; i < n; i++) store<f64>(f64Slot(stderr, i), Infinity);
      continue;
    }
    const scale = (1 - m / size) * units / (units - 1);
    const sums = groupSum + (<usize>(g * n) << 3);
    const squares = groupSquares + (<usize>(g * n) << 3);
    for (let i = 0; i < n; i++) {
      const sum = load<f64>(f64Slot(sums, i));
      const spread = scale * max(load<f64>(f64Slot(squares, i)) - sum * sum / units, 0);
      store<f64>(f64Slot(stderr, i), load<f64>(f64Slot(stderr, i)) + spread);
    }
  }
  for (let i = 0; i < n; i++) store<f64>(f64Slot(stderr, i), Math.sqrt(load<f64>(f64Slot(stderr, i))));

  const boundary = (load<f64>(f64Slot(d.values, 1)) - load<f64>(d.values)) / <f64>n;
  for (let i = 0; i < n; i++) store<f64>(f64Slot(values, i), load<f64>(f64Slot(values, i)) + boundary);
  if (coefs != 0) addProxyTerms(n, folds, degree, pairDegree, coefs, values);
}

/**
 * Adds sum over sampled sizes c and folds k of (m_ck / m_c) E_c[f_k h_i]:
 * E_c[f h_i] = (E[f | i in S] - E[f | i not in S]) / n over coalitions of size c.
 */
function addProxyTerms(n: i32, folds: i32, degree: i32, pairDegree: i32, coefs: usize, values: usize): void {
  const pc = proxyCoefficients(n, degree, pairDegree);
  const rowSums = proxySums;
  const additive = proxySums + (<usize>n << 3);
  for (let k = 0; k < folds; k++) {
    const a = coefs + (<usize>(k * pc) << 3);
    for (let c = 1; c < n; c++) {
      const m = load<f64>(f64Slot(classCount, c));
      const share = load<f64>(f64Slot(foldCount, c * MAX_FOLDS + k));
      if (share == 0) continue;
      let pairTotal: f64 = 0;
      memory.fill(rowSums, 0, <usize>n << 3);
      if (pairDegree >= 0) {
        let at = n * (degree + 1);
        for (let i = 0; i < n; i++) {
          for (let jj = i + 1; jj < n; jj++) {
            const b = pairAt(a, n, pairDegree, at++, c);
            pairTotal += b;
            store<f64>(f64Slot(rowSums, i), load<f64>(f64Slot(rowSums, i)) + b);
            store<f64>(f64Slot(rowSums, jj), load<f64>(f64Slot(rowSums, jj)) + b);
          }
        }
      }
      let linearTotal: f64 = 0;
      for (let i = 0; i < n; i++) {
        const value = additiveAt(a, n, degree, i, c);
        store<f64>(f64Slot(additive, i), value);
        linearTotal += value;
      }
      const weight = share / m / <f64>n;
      const others = <f64>(n - 1);
      const alpha = <f64>(c - 1) / others;
      const gamma = <f64>c / others;
      // Pairs of members of S, or (large coalitions) of the complement T of size n - c.
      const flip = byComplement(n, c);
      const p = flip ? n - c : c;
      const pairWith = <f64>(p - 1) / others;
      const pairIn = n > 2 ? <f64>((p - 1) * (p - 2)) / (others * <f64>(n - 2)) : 0;
      const pairOut = n > 2 ? <f64>(p * (p - 1)) / (others * <f64>(n - 2)) : 0;
      for (let i = 0; i < n; i++) {
        const own = load<f64>(f64Slot(additive, i));
        const row = load<f64>(f64Slot(rowSums, i));
        const rest = linearTotal - own;
        const apart = pairTotal - row;
        // E[pairs | i in S] and E[pairs | i not in S]; i in S means i not in T.
        const pairsWith = pairWith * row + pairIn * apart;
        const pairsWithout = pairOut * apart;
        const inside = own + alpha * rest + (flip ? pairsWithout : pairsWith);
        const outside = gamma * rest + (flip ? pairsWith : pairsWithout);
        store<f64>(f64Slot(values, i), load<f64>(f64Slot(values, i)) + weight * (inside - outside));
      }
    }
  }
}
