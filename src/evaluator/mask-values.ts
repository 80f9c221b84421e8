// Coalition values keyed by their bitmask as a number (masks of up to 53
// bits): the cache an evaluator run reads and writes once per coalition
// asked. A Map costs 30-50 ns a lookup or store there, about what making
// the evaluator's argument costs; typed arrays with open addressing cost a
// few ns and make no garbage.

/** Slots per entry at most before the index doubles: linear probes stay short. */
const MAX_LOAD = 0.5;
const EMPTY = -1;

/**
 * A Map<number, number> for integer keys in [0, 2^53), with Map's semantics
 * where the cache relies on them: set() of a present key replaces its value
 * in place, and entries() runs in first-insertion order (so a cache's JSON
 * comes out in the order its coalitions were paid for).
 */
export class MaskValues {
  private keys = new Float64Array(16);
  private values = new Float64Array(16);
  /** Open-addressing index: slot -> position in keys/values, or EMPTY. */
  private index = new Int32Array(32).fill(EMPTY);
  private shift = 32 - 5;
  size = 0;

  get(key: number): number | undefined {
    const position = this.positionOf(key);
    return position === EMPTY ? undefined : this.values[position];
  }

  set(key: number, value: number): void {
    const mask = this.index.length - 1;
    let slot = slotOf(key, this.shift);
    for (;;) {
      const position = this.index[slot];
      if (position === EMPTY) break;
      if (this.keys[position] === key) {
        this.values[position] = value;
        return;
      }
      slot = (slot + 1) & mask;
    }
    if (this.size === this.keys.length) this.resizeEntries(this.keys.length * 2);
    const position = this.size++;
    this.keys[position] = key;
    this.values[position] = value;
    this.index[slot] = position;
    if (this.size > this.index.length * MAX_LOAD) this.rebuildIndex(this.index.length * 2);
  }

  /** Makes room for `count` entries in all, so a run that knows its budget does not grow the arrays as it goes. */
  reserve(count: number): void {
    if (count <= this.keys.length) return;
    this.resizeEntries(count);
    const slots = 2 ** Math.ceil(Math.log2(count / MAX_LOAD));
    if (slots > this.index.length) this.rebuildIndex(slots);
  }

  *entries(): IterableIterator<[number, number]> {
    for (let position = 0; position < this.size; position++) yield [this.keys[position], this.values[position]];
  }

  private positionOf(key: number): number {
    const mask = this.index.length - 1;
    let slot = slotOf(key, this.shift);
    for (;;) {
      const position = this.index[slot];
      if (position === EMPTY || this.keys[position] === key) return position;
      slot = (slot + 1) & mask;
    }
  }

  private resizeEntries(length: number): void {
    const keys = new Float64Array(length);
    keys.set(this.keys.subarray(0, this.size));
    const values = new Float64Array(length);
    values.set(this.values.subarray(0, this.size));
    this.keys = keys;
    this.values = values;
  }

  private rebuildIndex(slots: number): void {
    this.index = new Int32Array(slots).fill(EMPTY);
    this.shift = 32 - Math.log2(slots);
    const mask = slots - 1;
    for (let position = 0; position < this.size; position++) {
      let slot = slotOf(this.keys[position], this.shift);
      while (this.index[slot] !== EMPTY) slot = (slot + 1) & mask;
      this.index[slot] = position;
    }
  }
}

/**
 * Fibonacci hashing of both 32-bit halves: masks drawn by samplers differ in
 * few bits (prefixes of one permutation, complements), which a plain modulo
 * would pile into neighbouring slots.
 */
function slotOf(key: number, shift: number): number {
  const low = key >>> 0;
  const high = (key / 4294967296) >>> 0;
  return Math.imul(low ^ Math.imul(high, 0x85ebca6b), 0x9e3779b1) >>> shift;
}
