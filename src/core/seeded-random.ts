/**
 * A seeded uniform generator on [0, 1) (mulberry32): the same seed gives the
 * same sequence, so random games and sampled orders reproduce.
 *
 * @example
 * const game = randomSoumGame(20, 30, 1, 5, seededRandom(7));
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
