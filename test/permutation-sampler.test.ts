import { describe, expect, it } from 'vitest';
import { createPermutationSampler } from '../src/estimators/permutation-sampler.js';
import { BLOCK_PAIRS, mergeBlockStats, planPermutation, runPermutationBlocks } from '../src/estimators/permutation.js';
import { GAME_KIND_ID } from '../src/core/games.js';
import { maskWords } from '../src/estimators/ask-tell.js';
import { kernelExports } from '../src/core/wasm/module.js';
import { randomTable, seededRandom } from './support/random.js';

/** Drives a sampler with values from `value(mask words)`, asking `max` at a time. */
function drive(sampler: ReturnType<typeof createPermutationSampler>, n: number, value: (mask: Uint32Array) => number, max = Infinity) {
  const words = maskWords(n);
  const seen: Uint32Array[] = [];
  for (;;) {
    const masks = sampler.ask(max);
    if (masks.length === 0) break;
    const values = new Float64Array(masks.length / words);
    for (let i = 0; i < values.length; i++) {
      const mask = masks.subarray(i * words, (i + 1) * words);
      seen.push(mask);
      values[i] = value(mask);
    }
    sampler.tell(values);
  }
  return seen;
}

describe('Wasm ask/tell permutation sampler', async () => {
  const core = await kernelExports();

  it.each([2, 3, 7, 12])('n = %i: bit-identical to the table sampler for any batch size', (n) => {
    const table = randomTable(n, seededRandom(n));
    const pairs = 3 * BLOCK_PAIRS + 17;
    const stats = runPermutationBlocks(core, GAME_KIND_ID.table, table, n, 99, 0, Math.ceil(pairs / BLOCK_PAIRS), pairs);
    const expected = mergeBlockStats(stats, n, pairs);
    for (const pairsPerAsk of [1, 5, 64, 300]) {
      const sampler = createPermutationSampler(core, n, { pairs, seed: 99, pairsPerAsk });
      drive(sampler, n, (mask) => table[mask[0]]);
      const estimate = sampler.estimate();
      sampler.dispose();
      expect(Array.from(estimate.values)).toEqual(Array.from(expected.values));
      expect(Array.from(estimate.stderr!)).toEqual(Array.from(expected.stderr));
    }
  });

  it('asks v(empty) and v(N) first, then n-1 prefixes of each permutation and of its reverse', () => {
    const n = 6;
    const sampler = createPermutationSampler(core, n, { pairs: 1, seed: 1, pairsPerAsk: 1 });
    const masks = sampler.ask(Infinity);
    expect(masks.length).toBe(2 + 2 * (n - 1));
    expect(masks[0]).toBe(0);
    expect(masks[1]).toBe(63);
    const forward = Array.from(masks.subarray(2, 2 + n - 1));
    const reverse = Array.from(masks.subarray(2 + n - 1));
    const popcount = (m: number) => m.toString(2).replace(/0/g, '').length;
    forward.forEach((mask, k) => expect(popcount(mask)).toBe(k + 1));
    forward.slice(1).forEach((mask, k) => expect(mask & forward[k]).toBe(forward[k]));
    // The reverse order adds players in the opposite order: its prefix k is the complement of forward prefix n-k.
    reverse.forEach((mask, k) => expect(mask).toBe(63 ^ forward[n - 2 - k]));
    sampler.tell(new Float64Array(masks.length));
    expect(sampler.ask(Infinity).length).toBe(0);
    sampler.dispose();
  });

  it('hands out whole pairs only, within max, and nothing once the plan is spent', () => {
    const n = 5;
    const plan = planPermutation(n, 200);
    const sampler = createPermutationSampler(core, n, { pairs: plan.pairs, seed: 4, pairsPerAsk: 3 });
    expect(sampler.ask(2 + 2 * (n - 1) - 1).length).toBe(0);
    let asked = 0;
    for (;;) {
      const masks = sampler.ask(19);
      if (masks.length === 0) break;
      expect(masks.length).toBeLessThanOrEqual(19);
      asked += masks.length;
      sampler.tell(new Float64Array(masks.length));
    }
    expect(asked).toBe(plan.evaluations);
    sampler.dispose();
  });

  it.each([33, 64, 90])('n = %i: multi-word masks; an additive game gives its weights with zero error', (n) => {
    const weights = Array.from({ length: n }, (_, i) => i - n / 3);
    const sampler = createPermutationSampler(core, n, { pairs: 20, seed: 5, pairsPerAsk: 4 });
    const seen = drive(sampler, n, (mask) => {
      let v = 0;
      for (let i = 0; i < n; i++) if (mask[i >> 5] & (1 << (i & 31))) v += weights[i];
      return v;
    });
    const { values, stderr } = sampler.estimate();
    sampler.dispose();
    expect(seen.length).toBe(2 + 20 * 2 * (n - 1));
    values.forEach((v, i) => expect(v).toBeCloseTo(weights[i], 9));
    stderr!.forEach((e) => expect(e).toBeLessThan(1e-9));
  });

  it('rejects misuse: tell of the wrong length, ask before tell, use after dispose', () => {
    const sampler = createPermutationSampler(core, 4, { pairs: 10, seed: 0, pairsPerAsk: 1 });
    const masks = sampler.ask(Infinity);
    expect(() => sampler.ask(Infinity)).toThrow(/before tell/);
    expect(() => sampler.tell(new Float64Array(masks.length - 1))).toThrow(/expected 8 values/);
    sampler.dispose();
    expect(() => sampler.estimate()).toThrow(/after dispose/);
    expect(() => createPermutationSampler(core, 1, { pairs: 1, seed: 0, pairsPerAsk: 1 })).toThrow(/n >= 2/);
  });
});

describe('permutation sampler below two pairs', () => {
  it('reports +Infinity standard errors until two pairs are told', async () => {
    const core = await kernelExports();
    const n = 6;
    const table = randomTable(n, seededRandom(5));
    const sampler = createPermutationSampler(core, n, { pairs: 4, seed: 1, pairsPerAsk: 1 });
    expect(Array.from(sampler.estimate().stderr!)).toEqual(new Array(n).fill(Infinity));
    const words = maskWords(n);
    const step = () => {
      const masks = sampler.ask(Infinity);
      const values = new Float64Array(masks.length / words);
      for (let i = 0; i < values.length; i++) values[i] = table[masks[i * words]];
      sampler.tell(values);
    };
    step();
    expect(Array.from(sampler.estimate().stderr!)).toEqual(new Array(n).fill(Infinity));
    step();
    sampler.estimate().stderr!.forEach((e) => expect(Number.isFinite(e)).toBe(true));
    sampler.dispose();
  });
});
