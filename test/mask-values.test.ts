import { describe, expect, it } from 'vitest';
import { MaskValues } from '../src/evaluator/mask-values.js';
import { seededRandom } from './support/random.js';

/** Keys as samplers make them: small masks, prefixes of one permutation, and the extremes of 53 bits. */
function keyDrawer(random: () => number): () => number {
  const pool = [0, 1, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1, 2 ** 52];
  return () => {
    const kind = random();
    if (kind < 0.1) return pool[Math.floor(random() * pool.length)];
    if (kind < 0.5) return Math.floor(random() * 64);
    if (kind < 0.8) return 2 ** Math.floor(random() * 53) - 1;
    return Math.floor(random() * 2 ** 21) * 2 ** 32 + Math.floor(random() * 2 ** 32);
  };
}

describe('MaskValues', () => {
  it.each([1, 2, 3])('answers get, set, size and entries as a Map does, through growth and reserve (seed %i)', (seed) => {
    const random = seededRandom(seed);
    const drawKey = keyDrawer(random);
    const table = new MaskValues();
    const map = new Map<number, number>();
    for (let step = 0; step < 20_000; step++) {
      const key = drawKey();
      if (step === 5_000) table.reserve(40_000);
      if (random() < 0.6) {
        const value = random() * 2 - 1;
        table.set(key, value);
        map.set(key, value);
      } else {
        expect(table.get(key)).toBe(map.get(key));
      }
    }
    expect(table.size).toBe(map.size);
    // First-insertion order, replaced values in place: the cache's JSON comes out as a Map's would.
    expect([...table.entries()]).toEqual([...map.entries()]);
  });

  it('keeps 0, negative zero values and keys 2^53 - 1 apart from absent ones', () => {
    const table = new MaskValues();
    expect(table.get(0)).toBeUndefined();
    table.set(0, -0);
    table.set(2 ** 53 - 1, 0);
    expect(Object.is(table.get(0), -0)).toBe(true);
    expect(table.get(2 ** 53 - 1)).toBe(0);
    expect(table.get(2 ** 53 - 2)).toBeUndefined();
    expect(table.size).toBe(2);
  });

  it('reserve keeps what it holds and never shrinks', () => {
    const table = new MaskValues();
    for (let key = 0; key < 100; key++) table.set(key * 2 ** 31, key);
    table.reserve(10);
    table.reserve(5_000);
    for (let key = 0; key < 100; key++) expect(table.get(key * 2 ** 31)).toBe(key);
    expect(table.size).toBe(100);
  });
});
