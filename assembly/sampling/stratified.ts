// Stratified marginal sampling: phi_i = (1/n) sum_s E[v(S + i) - v(S)] over
// coalitions S of size s without i, one stratum per (player, size).
//
// Sizes 0 and n-1 are taken exactly (2n + 2 coalitions). The others are paired
// antithetically: a draw S of size s comes with T = N \ {i} \ S of size
// n-1-s, and the pair's summed marginals form one observation of stratum
// (i, {s, n-1-s}). After two observations per stratum, each next unit goes to
// the stratum whose variance of the mean falls most (sigma^2 / (m (m + 1)),
// greedy Neyman allocation). Draws are with replacement; coalitions already
// evaluated are reused and cost nothing, so the budget counts distinct ones.

import { loadStream, nextBelow, saveStream, seedStream } from './rng';
import { maskSetBytes, maskSetCapacity, maskSetFind, maskSetInsert } from './maskset';
import { fullMask, randomSubset } from './subsets';

const UNITS_PER_ASK = 4096;
const MAX_PAIRS = 32;
/** Pseudo-observations of the size pair's pooled variance mixed into each stratum's. */
const PRIOR_WEIGHT: f64 = 2;
/** Random candidates tried for the last few evaluations when the next unit does not fit. */
const FILL_TRIES = 4096;
const pooledVariance = memory.data(MAX_PAIRS * 8 + 8, 16);

@unmanaged
export class Stratified {
  n: i32;
  budget: i32;
  count: i32;
  told: i32;
  /** Antithetic size pairs per player: s = 1..pairs. */
  pairs: i32;
  pending: i32;
  capacity: i32;
  exhausted: i32;
  /** Units issued so far (pilot and allocation). */
  issuedUnits: i32;
  full: u64;
  rng0: u64;
  rng1: u64;
  rng2: u64;
  rng3: u64;
  masks: usize;
  values: usize;
  set: usize;
  /** Per stratum (player * pairs + pair - 1): issued units (f64), variance for allocation, observations, mean, m2. */
  issued: usize;
  variance: usize;
  observed: usize;
  mean: usize;
  m2: usize;
  /** Pending units: player, pair, and the value indices of S, S + i, T, T + i. */
  units: usize;
}

// @ts-ignore: decorator
@inline
function f64Slot(base: usize, index: i32): usize {
  return base + (<usize>index << 3);
}

function align(bytes: usize): usize {
  return (bytes + 15) & ~<usize>15;
}

export function stratifiedCreate(n: i32, budget: i32, seedLow: u32, seedHigh: u32): usize {
  const pairs = n >= 3 ? (n - 1) >> 1 : 0;
  const strata = <usize>(n * max(pairs, 1));
  const capacity = maskSetCapacity(budget);
  const head = align(offsetof<Stratified>());
  const bytes = head + align(<usize>budget * 8) * 2 + maskSetBytes(capacity) + align(strata * 8) * 5 + UNITS_PER_ASK * 24;
  const base = heap.alloc(bytes);
  memory.fill(base, 0, bytes);
  const st = changetype<Stratified>(base);
  st.n = n;
  st.budget = budget;
  st.pairs = pairs;
  st.capacity = capacity;
  st.full = fullMask(n);
  let at = base + head;
  st.masks = at; at += align(<usize>budget * 8);
  st.values = at; at += align(<usize>budget * 8);
  st.set = at; at += maskSetBytes(capacity);
  st.issued = at; at += align(strata * 8);
  st.variance = at; at += align(strata * 8);
  st.observed = at; at += align(strata * 8);
  st.mean = at; at += align(strata * 8);
  st.m2 = at; at += align(strata * 8);
  st.units = at;
  seedStream((<u64>seedHigh << 32) | <u64>seedLow, 0x57A7);
  saveStream(base + offsetof<Stratified>('rng0'));
  return base;
}

export function stratifiedFree(state: usize): void {
  heap.free(state);
}

/** Index of mask's value, appending the mask to the batch when it is new. */
function slotOf(st: Stratified, mask: u64): i32 {
  const found = maskSetFind(st.set, st.capacity, mask);
  if (found >= 0) return found;
  maskSetInsert(st.set, st.capacity, mask, st.count);
  store<u64>(st.masks + (<usize>st.count << 3), mask);
  return st.count++;
}

function fresh(st: Stratified, mask: u64): i32 {
  return maskSetFind(st.set, st.capacity, mask) < 0 ? 1 : 0;
}

/**
 * Per size pair, the variance pooled over players (m2 sums over degrees of
 * freedom); then each stratum's shrunk variance for this batch's allocation.
 */
function poolVariances(st: Stratified): void {
  for (let p = 1; p <= st.pairs; p++) {
    let squares: f64 = 0;
    let freedom: f64 = 0;
    for (let i = 0; i < st.n; i++) {
      const k = i * st.pairs + p - 1;
      const observed = load<f64>(f64Slot(st.observed, k));
      if (observed < 2) continue;
      squares += load<f64>(f64Slot(st.m2, k));
      freedom += observed - 1;
    }
    store<f64>(f64Slot(pooledVariance, p), freedom > 0 ? squares / freedom : 0);
  }
  for (let k = 0; k < st.n * st.pairs; k++) store<f64>(f64Slot(st.variance, k), stratumVariance(st, k));
}

/**
 * A stratum's variance, shrunk toward its size pair's pooled variance: with
 * sparse games a two-unit pilot often sees no spread at all, and a raw zero
 * would starve the stratum of units and report a zero standard error.
 */
function stratumVariance(st: Stratified, k: i32): f64 {
  const observed = load<f64>(f64Slot(st.observed, k));
  const pooled = load<f64>(f64Slot(pooledVariance, k % st.pairs + 1));
  return (load<f64>(f64Slot(st.m2, k)) + PRIOR_WEIGHT * pooled) / (max(observed - 1, 0) + PRIOR_WEIGHT);
}

/**
 * The pilot first (rounds until every stratum has two units), then the
 * stratum whose variance of the mean one more unit reduces most; -1 while
 * the pilot's values are still out.
 */
function nextStratum(st: Stratified): i32 {
  const strata = st.n * st.pairs;
  if (st.issuedUnits < 2 * strata) {
    let fewest = 0;
    let unseen = false;
    for (let k = 0; k < strata; k++) {
      if (load<f64>(f64Slot(st.issued, k)) < load<f64>(f64Slot(st.issued, fewest))) fewest = k;
      if (load<f64>(f64Slot(st.observed, k)) < 2) unseen = true;
    }
    if (load<f64>(f64Slot(st.issued, fewest)) < 2) return fewest;
    if (unseen) return -1;
  }
  let best = 0;
  let bestGain: f64 = -1;
  for (let k = 0; k < strata; k++) {
    const m = load<f64>(f64Slot(st.issued, k));
    const gain = load<f64>(f64Slot(st.variance, k)) / (m * (m + 1));
    if (gain > bestGain) {
      bestGain = gain;
      best = k;
    }
  }
  return best;
}

/** Inserts a zero bit at position `at` into a mask over n - 1 players. */
// @ts-ignore: decorator
@inline
function spread(mask: u64, at: i32): u64 {
  const low = (<u64>1 << <u64>at) - 1;
  return (mask & low) | ((mask & ~low) << 1);
}

function processUnits(st: Stratified): void {
  for (let u = 0; u < st.pending; u++) {
    const unit = st.units + <usize>u * 24;
    const player = load<i32>(unit);
    const pair = load<i32>(unit, 4);
    const a = load<f64>(f64Slot(st.values, load<i32>(unit, 8)));
    const b = load<f64>(f64Slot(st.values, load<i32>(unit, 12)));
    const c = load<f64>(f64Slot(st.values, load<i32>(unit, 16)));
    const d = load<f64>(f64Slot(st.values, load<i32>(unit, 20)));
    let z = (b - a) + (d - c);
    if (2 * pair == st.n - 1) z *= 0.5;
    const k = player * st.pairs + pair - 1;
    const observed = load<f64>(f64Slot(st.observed, k)) + 1;
    const mean = load<f64>(f64Slot(st.mean, k));
    const delta = z - mean;
    const updated = mean + delta / observed;
    store<f64>(f64Slot(st.observed, k), observed);
    store<f64>(f64Slot(st.mean, k), updated);
    store<f64>(f64Slot(st.m2, k), load<f64>(f64Slot(st.m2, k)) + delta * (z - updated));
  }
  st.pending = 0;
}

let drawn: u64 = 0;

/** Draws S for stratum k into `drawn`; returns how many of S, S + i, T, T + i are new. */
function draw(st: Stratified, k: i32): i32 {
  const player = k / st.pairs;
  const bit = <u64>1 << <u64>player;
  drawn = spread(randomSubset(st.n - 1, k % st.pairs + 1), player);
  const t = st.full ^ bit ^ drawn;
  return fresh(st, drawn) + fresh(st, drawn | bit) + fresh(st, t) + fresh(st, t | bit);
}

/** Issues units while their new coalitions fit in `limit`; returns how many coalitions were asked. */
export function stratifiedAsk(state: usize, limit: i32): i32 {
  const st = changetype<Stratified>(state);
  loadStream(state + offsetof<Stratified>('rng0'));
  const n = st.n;
  const start = st.count;
  if (start == 0) {
    // Sizes 0 and n-1: v(empty), v(N), v({i}), v(N \ {i}).
    if (limit < 2 * n + 2 || st.budget < 2 * n + 2) return 0;
    slotOf(st, 0);
    slotOf(st, st.full);
    for (let i = 0; i < n; i++) {
      slotOf(st, <u64>1 << <u64>i);
      slotOf(st, st.full ^ (<u64>1 << <u64>i));
    }
    return st.count;
  }
  poolVariances(st);
  let free = 0;
  // Batches grow with the run (a quarter of the units so far), so the
  // allocation sees fresh variances often early on and rarely later.
  const batchUnits = min(UNITS_PER_ASK, max(st.n * st.pairs, st.issuedUnits >> 2));
  while (st.pairs > 0 && st.exhausted == 0 && st.pending < batchUnits) {
    let k = nextStratum(st);
    if (k < 0) {
      if (st.count > start) break;
      processUnits(st);
      poolVariances(st);
      continue;
    }
    let cost = draw(st, k);
    const room = min(limit - (st.count - start), st.budget - st.count);
    if (cost > room) {
      // The last few evaluations: any unit that fits, so the budget is spent exactly.
      if (room >= 4 || st.budget - st.count > 3) break;
      for (let tries = 0; tries < FILL_TRIES && cost > room; tries++) {
        k = <i32>nextBelow(<u32>(n * st.pairs));
        cost = draw(st, k);
      }
      if (cost > room || cost == 0) {
        st.exhausted = cost > room ? 1 : 0;
        break;
      }
    }
    // Units made only of known coalitions are free; a long run of them means
    // the strata worth sampling are used up.
    free = cost == 0 ? free + 1 : 0;
    if (free > 64 * n * st.pairs) {
      st.exhausted = 1;
      break;
    }
    const player = k / st.pairs;
    const bit = <u64>1 << <u64>player;
    const t = st.full ^ bit ^ drawn;
    const unit = st.units + <usize>st.pending * 24;
    store<i32>(unit, player);
    store<i32>(unit, k % st.pairs + 1, 4);
    store<i32>(unit, slotOf(st, drawn), 8);
    store<i32>(unit, slotOf(st, drawn | bit), 12);
    store<i32>(unit, slotOf(st, t), 16);
    store<i32>(unit, slotOf(st, t | bit), 20);
    st.pending++;
    st.issuedUnits++;
    store<f64>(f64Slot(st.issued, k), load<f64>(f64Slot(st.issued, k)) + 1);
    if (st.count == start && st.pending >= batchUnits) processUnits(st);
  }
  if (st.count == start) processUnits(st);
  saveStream(state + offsetof<Stratified>('rng0'));
  return st.count - start;
}

export function stratifiedTell(state: usize): void {
  const st = changetype<Stratified>(state);
  st.told = st.count;
  processUnits(st);
}

export function stratifiedMasks(state: usize): usize {
  return changetype<Stratified>(state).masks;
}

export function stratifiedValues(state: usize): usize {
  return changetype<Stratified>(state).values;
}

export function stratifiedTold(state: usize): i32 {
  return changetype<Stratified>(state).told;
}

/**
 * Estimates and standard errors (n each); the minimum budget gives every
 * stratum an observation. A player's standard error is +Infinity while any of
 * its strata has fewer than two observations (its variance is unknown).
 */
export function stratifiedEstimate(state: usize, values: usize, stderr: usize): void {
  const st = changetype<Stratified>(state);
  const n = st.n;
  memory.fill(values, 0, <usize>n << 3);
  memory.fill(stderr, 0, <usize>n << 3);
  if (st.told < 2 * n + 2) {
    for (let i = 0; i < n; i++) store<f64>(f64Slot(stderr, i), Infinity);
    return;
  }
  poolVariances(st);
  const empty = load<f64>(f64Slot(st.values, maskSetFind(st.set, st.capacity, 0)));
  const whole = load<f64>(f64Slot(st.values, maskSetFind(st.set, st.capacity, st.full)));
  for (let i = 0; i < n; i++) {
    const bit = <u64>1 << <u64>i;
    const single = load<f64>(f64Slot(st.values, maskSetFind(st.set, st.capacity, bit)));
    const allBut = load<f64>(f64Slot(st.values, maskSetFind(st.set, st.capacity, st.full ^ bit)));
    let sum = single - empty + whole - allBut;
    let variance: f64 = 0;
    for (let p = 1; p <= st.pairs; p++) {
      const k = i * st.pairs + p - 1;
      const observed = load<f64>(f64Slot(st.observed, k));
      sum += load<f64>(f64Slot(st.mean, k));
      // Fewer than two observations: the stratum's variance is unknown.
      variance += observed < 2 ? Infinity : stratumVariance(st, k) / observed;
    }
    store<f64>(f64Slot(values, i), sum / <f64>n);
    store<f64>(f64Slot(stderr, i), Math.sqrt(variance) / <f64>n);
  }
}
