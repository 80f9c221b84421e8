// A paired size-class design: the coalitions that the regression and
// stratified estimators (kernel, svarm, msr) evaluate.
//
// The host plans how many units each class pair {s, n-s} gets (src/estimators/design.ts).
// A unit is a coalition S of size s together with its complement, so every
// evaluation is antithetic. Pairs whose whole class the plan covers are
// enumerated; the others are drawn uniformly without replacement, interleaved
// so that a run stopped early still covers every size evenly. v(empty) and
// v(N) come first. State persists between ask and tell in one heap block.

import { loadStream, saveStream, seedStream } from './rng';
import { maskSetBytes, maskSetCapacity, maskSetFind, maskSetInsert } from './maskset';
import { fullMask, nextCombination, randomSubset } from './subsets';

@unmanaged
export class Design {
  n: i32;
  budget: i32;
  /** Coalitions issued so far; masks[0..count). */
  count: i32;
  /** Coalitions whose values are known; values[0..told). */
  told: i32;
  units: i32;
  half: i32;
  /** Class of one extra unpaired coalition when the budget is odd, else -1. */
  single: i32;
  capacity: i32;
  full: u64;
  rng0: u64;
  rng1: u64;
  rng2: u64;
  rng3: u64;
  /** i32 per pair s = 0..half: units still to issue. */
  remaining: usize;
  /** i32 per pair: units planned. */
  planned: usize;
  /** u64 per pair: next mask of an enumerated pair, 0 for a sampled pair. */
  cursor: usize;
  masks: usize;
  values: usize;
  /** i32 per coalition: the unit it belongs to. */
  unitOf: usize;
  /** i32 per coalition: the unit's rank within its pair (folds for cross-fitting). */
  rank: usize;
  set: usize;
}

function align(bytes: usize): usize {
  return (bytes + 15) & ~<usize>15;
}

/**
 * plan: i32 per pair s = 0..floor(n/2) (entry 0 unused): units to issue;
 * enumerate: i32 flags per pair: 1 = issue the whole class in colex order.
 */
export function designCreate(
  n: i32, budget: i32, seedLow: u32, seedHigh: u32, plan: usize, enumerate: usize, single: i32,
): usize {
  const half = n >> 1;
  const capacity = maskSetCapacity(budget);
  const pairs = <usize>(half + 1);
  const head = align(offsetof<Design>());
  const bytes = head + align(pairs * 4) * 2 + align(pairs * 8) + align(<usize>budget * 8) * 2 +
    align(<usize>budget * 4) * 2 + maskSetBytes(capacity);
  const base = heap.alloc(bytes);
  memory.fill(base, 0, bytes);
  const d = changetype<Design>(base);
  d.n = n;
  d.budget = budget;
  d.half = half;
  d.single = single;
  d.capacity = capacity;
  d.full = fullMask(n);
  let at = base + head;
  d.remaining = at; at += align(pairs * 4);
  d.planned = at; at += align(pairs * 4);
  d.cursor = at; at += align(pairs * 8);
  d.masks = at; at += align(<usize>budget * 8);
  d.values = at; at += align(<usize>budget * 8);
  d.unitOf = at; at += align(<usize>budget * 4);
  d.rank = at; at += align(<usize>budget * 4);
  d.set = at;
  for (let s = 1; s <= half; s++) {
    const units = load<i32>(plan + (<usize>s << 2));
    store<i32>(d.remaining + (<usize>s << 2), units);
    store<i32>(d.planned + (<usize>s << 2), units);
    if (load<i32>(enumerate + (<usize>s << 2)) != 0) store<u64>(d.cursor + (<usize>s << 3), fullMask(s));
  }
  seedStream((<u64>seedHigh << 32) | <u64>seedLow, 0x5EED);
  saveStream(base + offsetof<Design>('rng0'));
  return base;
}

export function designFree(state: usize): void {
  heap.free(state);
}

function emit(d: Design, mask: u64, rank: i32): void {
  const at = <usize>d.count;
  store<u64>(d.masks + (at << 3), mask);
  store<i32>(d.unitOf + (at << 2), d.units);
  store<i32>(d.rank + (at << 2), rank);
  d.count++;
}

/** The sampled pair furthest behind its plan (ties: the smaller size), or 0. */
function laggingPair(d: Design): i32 {
  let best = 0;
  let bestShare: f64 = -1;
  for (let s = 1; s <= d.half; s++) {
    const left = load<i32>(d.remaining + (<usize>s << 2));
    if (left == 0 || load<u64>(d.cursor + (<usize>s << 3)) != 0) continue;
    const share = <f64>left / <f64>load<i32>(d.planned + (<usize>s << 2));
    if (share > bestShare) {
      bestShare = share;
      best = s;
    }
  }
  return best;
}

function enumeratedPair(d: Design): i32 {
  for (let s = 1; s <= d.half; s++) {
    if (load<i32>(d.remaining + (<usize>s << 2)) > 0 && load<u64>(d.cursor + (<usize>s << 3)) != 0) return s;
  }
  return 0;
}

function takeUnit(d: Design, s: i32): i32 {
  const slot = d.remaining + (<usize>s << 2);
  const left = load<i32>(slot);
  store<i32>(slot, left - 1);
  return load<i32>(d.planned + (<usize>s << 2)) - left;
}

/**
 * Issues whole units, at most `max` coalitions, appended at masks[count..].
 * Returns how many; 0 when the design is complete or the next unit does not fit.
 */
export function designAsk(state: usize, max: i32): i32 {
  const d = changetype<Design>(state);
  loadStream(state + offsetof<Design>('rng0'));
  const start = d.count;
  while (true) {
    const room = max - (d.count - start);
    if (d.units < 2) {
      if (room < 1) break;
      emit(d, d.units == 0 ? 0 : d.full, 0);
      d.units++;
      continue;
    }
    let s = enumeratedPair(d);
    if (s != 0) {
      if (room < 2) break;
      const cursor = d.cursor + (<usize>s << 3);
      const mask = load<u64>(cursor);
      store<u64>(cursor, nextCombination(mask));
      const rank = takeUnit(d, s);
      emit(d, mask, rank);
      emit(d, mask ^ d.full, rank);
      d.units++;
      continue;
    }
    s = laggingPair(d);
    if (s != 0) {
      if (room < 2) break;
      let mask: u64 = randomSubset(d.n, s);
      while (maskSetFind(d.set, d.capacity, mask) >= 0) mask = randomSubset(d.n, s);
      maskSetInsert(d.set, d.capacity, mask, d.count);
      maskSetInsert(d.set, d.capacity, mask ^ d.full, d.count + 1);
      const rank = takeUnit(d, s);
      emit(d, mask, rank);
      emit(d, mask ^ d.full, rank);
      d.units++;
      continue;
    }
    if (d.single >= 0) {
      if (room < 1) break;
      let mask: u64 = randomSubset(d.n, d.single);
      while (maskSetFind(d.set, d.capacity, mask) >= 0) mask = randomSubset(d.n, d.single);
      maskSetInsert(d.set, d.capacity, mask, d.count);
      emit(d, mask, 0);
      d.units++;
      d.single = -1;
      continue;
    }
    break;
  }
  saveStream(state + offsetof<Design>('rng0'));
  return d.count - start;
}

/** The host wrote the values of the pending coalitions at values[told..count). */
export function designTell(state: usize): void {
  const d = changetype<Design>(state);
  d.told = d.count;
}

export function designMasks(state: usize): usize {
  return changetype<Design>(state).masks;
}

export function designValues(state: usize): usize {
  return changetype<Design>(state).values;
}

export function designTold(state: usize): i32 {
  return changetype<Design>(state).told;
}
