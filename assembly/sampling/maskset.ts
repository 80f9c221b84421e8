// Open-addressing map from u64 coalition masks to sample indices, so samplers
// draw coalitions without replacement and answer repeats from memory.
// Layout at `table`: keys u64 x capacity, then slots i32 x capacity holding
// index + 1 (0 = empty). Capacity is a power of two, at least twice the entries.

// @ts-ignore: decorator
@inline
function hashMask(mask: u64): u64 {
  const z = mask * 0x9E3779B97F4A7C15;
  return z ^ (z >> 31);
}

/** Slots for a set of up to `entries` masks: a power of two, at most half full, so probes stay short. */
export function maskSetCapacity(entries: i32): i32 {
  let capacity = 16;
  while (capacity < 2 * entries) capacity <<= 1;
  return capacity;
}

/** Bytes a set of `capacity` slots takes. */
export function maskSetBytes(capacity: i32): usize {
  return <usize>capacity * 12;
}

/** Sample index stored for `mask`, or -1. */
export function maskSetFind(table: usize, capacity: i32, mask: u64): i32 {
  const limit = <u64>(capacity - 1);
  const slots = table + (<usize>capacity << 3);
  let slot = hashMask(mask) & limit;
  while (true) {
    const index = load<i32>(slots + (<usize>slot << 2));
    if (index == 0) return -1;
    if (load<u64>(table + (<usize>slot << 3)) == mask) return index - 1;
    slot = (slot + 1) & limit;
  }
}

/** Stores mask -> index; the caller has checked that mask is absent. */
export function maskSetInsert(table: usize, capacity: i32, mask: u64, index: i32): void {
  const limit = <u64>(capacity - 1);
  const slots = table + (<usize>capacity << 3);
  let slot = hashMask(mask) & limit;
  while (load<i32>(slots + (<usize>slot << 2)) != 0) slot = (slot + 1) & limit;
  store<u64>(table + (<usize>slot << 3), mask);
  store<i32>(slots + (<usize>slot << 2), index + 1);
}
