import { InputError } from './errors.js';
import { describe } from './validate.js';

/**
 * A seeded uniform generator on [0, 1) (mulberry32): the same seed gives the
 * same sequence, so random games and sampled orders reproduce. The seed is an
 * integer from 0 to 2^32 - 1, the generator's whole state; anything else is
 * an InputError.
 *
 * @example
 * const game = randomSoumGame(20, 30, 1, 5, seededRandom(7));
 */
export function seededRandom(seed: number): () => number {
  // Truncated in silence, every seed in [0, 1) (Math.random(), say) would
  // give the same sequence, and so would 0, 2^32 and NaN.
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new InputError(`seededRandom(seed): expected an integer from 0 to 4294967295 (2^32 - 1, the generator's state), got ${describe(seed)}`);
  }
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
