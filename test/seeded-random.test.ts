import { describe, expect, it } from 'vitest';
import { InputError } from '../src/core/errors.js';
import { seededRandom } from '../src/core/seeded-random.js';

describe('seededRandom', () => {
  it('gives the same sequence for the same seed, in [0, 1)', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const draws = Array.from({ length: 1000 }, () => a());
    expect(draws).toEqual(Array.from({ length: 1000 }, () => b()));
    for (const u of draws) expect(u >= 0 && u < 1).toBe(true);
    expect(seededRandom(0xffffffff)()).not.toBe(seededRandom(0)());
  });

  it('refuses a seed it would truncate in silence into another seed', () => {
    // Math.random() as a seed: every such seed was seed 0.
    for (const seed of [0.25, 1.5, -1, 2 ** 32, NaN, Infinity, '7', undefined]) {
      expect(() => seededRandom(seed as number)).toThrow(InputError);
    }
    expect(() => seededRandom(0.25)).toThrow(/^seededRandom\(seed\): expected an integer from 0 to 4294967295 \(2\^32 - 1, the generator's state\), got 0\.25$/);
    expect(() => seededRandom(2 ** 32)).toThrow(/got 4294967296$/);
  });
});
