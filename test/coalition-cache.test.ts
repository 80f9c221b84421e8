import { describe, expect, it } from 'vitest';
import { adoptCache, CoalitionCache, membersOf } from '../src/evaluator/coalition-cache.js';
import { InputError } from '../src/core/errors.js';
import { names } from './support/random.js';
import { shapley } from '../src/attribution/shapley.js';
import { popcount32 } from '../src/core/bits.js';
import { seededRandom } from '../src/core/seeded-random.js';

function maskOf(members: number[], words: number): Uint32Array {
  const mask = new Uint32Array(words);
  for (const i of members) mask[i >> 5] |= 1 << (i & 31);
  return mask;
}

describe('CoalitionCache', () => {
  it.each([3, 32, 33, 53, 54, 64, 100])('stores and finds coalitions of %i players by mask and by names', (n) => {
    const players = names(n);
    const cache = new CoalitionCache(players);
    const members = [0, n - 1, Math.floor(n / 2)];
    const mask = maskOf(members, cache.words);
    cache.store(cache.keyOf(mask, 0), 1.5);
    expect(cache.get(members.map((i) => players[i]))).toBe(1.5);
    expect(cache.get([players[0]])).toBeUndefined();
    expect(membersOf(mask, 0, players).sort()).toEqual(members.map((i) => players[i]).sort());
  });

  it.each([1, 20, 32, 33, 64, 70])('membersOf names every member, lowest bit first, of each coalition in a batch (%i players)', (n) => {
    const players = names(n);
    const words = Math.ceil(n / 32);
    const random = seededRandom(n);
    const batch = new Uint32Array(40 * words);
    // Bits past the last player are never set in a sampler's batch.
    const used = (w: number) => (n - 32 * w >= 32 ? 0xffffffff : 2 ** (n - 32 * w) - 1);
    for (let i = 0; i < batch.length; i++) batch[i] = ((random() * 2 ** 32) >>> 0) & used(i % words);
    // The empty and the full coalition, and the top player of each word alone.
    batch.fill(0, 0, words);
    for (let i = 0; i < n; i++) batch[words + (i >> 5)] |= 1 << (i & 31);
    for (let w = 0; w < words; w++) batch[2 * words + w] = (used(w) >>> 0) - (used(w) >>> 1);
    for (let k = 0; k < 40; k++) {
      const expected = players.filter((_, i) => (batch[k * words + (i >> 5)] >>> (i & 31)) & 1);
      expect(membersOf(batch, k, players)).toEqual(expected);
    }
  });

  it('popcount32 counts the set bits of any 32-bit word', () => {
    const random = seededRandom(3);
    const words = [0, 1, 0x80000000, 0xffffffff, 0x7fffffff, 0x55555555, ...Array.from({ length: 1000 }, () => (random() * 2 ** 32) >>> 0)];
    for (const word of words) {
      let count = 0;
      for (let i = 0; i < 32; i++) count += (word >>> i) & 1;
      expect(popcount32(word)).toBe(count);
    }
  });

  it.each([5, 40, 70])('JSON round trip keeps every value (%i players)', (n) => {
    const players = names(n);
    const cache = new CoalitionCache(players);
    for (let k = 0; k < 50; k++) {
      cache.store(cache.keyOf(maskOf([k % n, (k * 7) % n, (k * 13) % n], cache.words), 0), k / 3);
    }
    cache.store(cache.keyOf(new Uint32Array(cache.words), 0), -1);
    const text = JSON.stringify(cache);
    const back = CoalitionCache.fromJSON(text);
    expect(back.size).toBe(cache.size);
    expect(back.toJSON()).toEqual(cache.toJSON());
    expect(CoalitionCache.fromJSON(JSON.parse(text)).toJSON()).toEqual(cache.toJSON());
    expect(back.get([])).toBe(-1);
  });

  it('is adopted as is for the same players, renumbered for another order', () => {
    const cache = new CoalitionCache(['a', 'b', 'c']);
    cache.store(cache.keyOf(maskOf([0, 2], 1), 0), 7);
    expect(adoptCache(cache, ['a', 'b', 'c'])).toBe(cache);
    const reordered = adoptCache(cache, ['c', 'a', 'b']);
    expect(reordered).not.toBe(cache);
    expect(reordered.get(['a', 'c'])).toBe(7);
    expect(reordered.lookup(reordered.keyOf(maskOf([0, 1], 1), 0))).toBe(7);
    expect(adoptCache(JSON.stringify(cache), ['b', 'c', 'a']).get(['c', 'a'])).toBe(7);
  });

  it('rejects a cache of other players, bad JSON and out-of-range masks with clear errors', () => {
    const cache = new CoalitionCache(['a', 'b']);
    expect(() => adoptCache(cache, ['a', 'x'])).toThrow(/recorded for players \[a, b\], but this game has \[a, x\]/);
    expect(() => adoptCache(cache, ['a', 'b', 'c'])).toThrow(InputError);
    expect(() => adoptCache('{nope', ['a'])).toThrow(/cache: not valid JSON/);
    const json = { format: 'agent-credit/coalition-cache', version: 1, players: ['a', 'b'], coalitions: { '4': 1 } };
    expect(() => adoptCache(json, ['a', 'b'])).toThrow(/mask 4 has a bit beyond the 2 players/);
    expect(() => adoptCache({ ...json, coalitions: { '1': Number.NaN } }, ['a', 'b'])).toThrow(/coalitions\.1: expected a finite number/);
    expect(() => adoptCache({ ...json, coalitions: { '0x1': 1 } }, ['a', 'b'])).toThrow(/lowercase hex/);
    expect(() => adoptCache({ ...json, format: 'x' }, ['a', 'b'])).toThrow(/format/);
    expect(() => cache.get(['zed'])).toThrow(/unknown player "zed"/);
  });

  it('refuses duplicate or non-string player names, in the constructor and in JSON, naming the culprit', async () => {
    expect(() => new CoalitionCache(['a', 'a', 'c'])).toThrow(InputError);
    expect(() => new CoalitionCache(['a', 'a', 'c'])).toThrow(/cache: players\[1\]: duplicate player name "a" \(also at players\[0\]\)/);
    const json = { format: 'agent-credit/coalition-cache', version: 1, players: ['a', 'a', 'c'], coalitions: { '0': 0, '1': 10, '5': 12 } };
    expect(() => CoalitionCache.fromJSON(json)).toThrow(/cache: players\[1\]: duplicate player name "a"/);
    // Before: the masks of both "a"s merged when renumbered for the game, and the values came out wrong without a word.
    const game = { players: ['a', 'b', 'c'], evaluate: (s: string[]) => (s.includes('a') ? 10 : 0) + s.length };
    await expect(shapley(game, { method: 'exact', cache: json })).rejects.toThrow(/cache: players\[1\]: duplicate player name "a"/);
    expect(() => CoalitionCache.fromJSON({ ...json, players: [1, 'b', 'c'] })).toThrow(/cache: players\[0\]: expected a string, got 1$/);
    expect(() => new CoalitionCache([] as string[])).toThrow(/cache: players: expected at least one player/);
  });
});
