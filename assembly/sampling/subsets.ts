// Coalitions of a given size as u64 masks: uniform random draws and
// enumeration in colex order.

import { nextBelow } from './rng';

/** A uniformly random k-subset of n players (Floyd's algorithm: k draws, no scratch). */
export function randomSubset(n: i32, k: i32): u64 {
  if (k > n - k) return randomSubset(n, n - k) ^ fullMask(n);
  let mask: u64 = 0;
  for (let j = n - k; j < n; j++) {
    const bit = <u64>1 << <u64>nextBelow(<u32>(j + 1));
    mask |= (mask & bit) != 0 ? <u64>1 << <u64>j : bit;
  }
  return mask;
}

/** The next mask with the same popcount (Gosper's hack); the caller stops before overflow. */
// @ts-ignore: decorator
@inline
export function nextCombination(mask: u64): u64 {
  const low = mask & (~mask + 1);
  const ripple = mask + low;
  return (((ripple ^ mask) >> 2) / low) | ripple;
}

export function fullMask(n: i32): u64 {
  return n >= 64 ? <u64>-1 : (<u64>1 << <u64>n) - 1;
}
