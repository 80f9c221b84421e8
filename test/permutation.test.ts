import { describe, expect, it } from 'vitest';
import { shapley } from '../src/attribution/shapley.js';
import { closedFormShapley, randomSoumGame } from '../src/core/games.js';
import { tabulate } from '../src/core/exact.js';
import { BLOCK_PAIRS, planPermutation } from '../src/estimators/permutation.js';
import { textbookShapley } from './support/textbook.js';
import { names, randomTable, seededRandom } from './support/random.js';

describe('permutation sampling', () => {
  // 16 players: every budget below is under 2^16, so these runs sample.
  const n = 16;
  const values = randomTable(n, seededRandom(42));
  const game = { players: names(n), values };
  const truth = textbookShapley(values, n);

  it('the same seed gives identical output; another seed does not', async () => {
    const a = await shapley(game, { method: 'permutation', budget: 20_000, seed: 7 });
    const b = await shapley(game, { method: 'permutation', budget: 20_000, seed: 7 });
    const c = await shapley(game, { method: 'permutation', budget: 20_000, seed: 8 });
    expect(Array.from(a.values)).toEqual(Array.from(b.values));
    expect(Array.from(a.stderr!)).toEqual(Array.from(b.stderr!));
    expect(Array.from(a.values)).not.toEqual(Array.from(c.values));
  });

  it('spends the budget in whole antithetic pairs and reports it', async () => {
    const r = await shapley(game, { method: 'permutation', budget: 10_000 });
    const plan = planPermutation(n, 10_000);
    expect(r.evaluations).toBe(plan.evaluations);
    expect(r.evaluations).toBeLessThanOrEqual(10_000);
    expect(10_000 - r.evaluations).toBeLessThan(2 * (n - 1));
    expect(plan.blocks).toBe(Math.ceil(plan.pairs / BLOCK_PAIRS));
  });

  it('error shrinks like 1/sqrt(budget)', async () => {
    const rmse = async (budget: number) => {
      let total = 0;
      const seeds = 40;
      for (let seed = 0; seed < seeds; seed++) {
        const r = await shapley(game, { method: 'permutation', budget, seed });
        for (let i = 0; i < n; i++) total += (r.values[i] - truth[i]) ** 2;
      }
      return Math.sqrt(total / (seeds * n));
    };
    const small = await rmse(2_000);
    const large = await rmse(32_000);
    expect(32_000).toBeLessThan(2 ** n);
    // 16x the budget: 4x smaller error in expectation.
    expect(small / large).toBeGreaterThan(3);
    expect(small / large).toBeLessThan(5.3);
  });

  it('standard errors are calibrated: |estimate - truth| <= 3 stderr for at least 95% of players', async () => {
    let within = 0;
    let total = 0;
    for (let seed = 0; seed < 60; seed++) {
      const r = await shapley(game, { method: 'permutation', budget: 4_000, seed });
      expect(r.method).toBe('permutation');
      for (let i = 0; i < n; i++) {
        total++;
        if (Math.abs(r.values[i] - truth[i]) <= 3 * r.stderr![i]) within++;
      }
    }
    expect(within / total).toBeGreaterThanOrEqual(0.95);
  });

  it('a built-in game and its table give the same samples for the same seed', async () => {
    const soum = randomSoumGame(12, 25, 1, 6, seededRandom(4));
    const table = { players: soum.players, values: await tabulate(soum) };
    const fromGame = await shapley(soum, { method: 'permutation', budget: 3_000, seed: 5 });
    const fromTable = await shapley(table, { method: 'permutation', budget: 3_000, seed: 5 });
    for (let i = 0; i < 12; i++) {
      expect(fromGame.values[i]).toBeCloseTo(fromTable.values[i], 12);
      expect(fromGame.stderr![i]).toBeCloseTo(fromTable.stderr![i], 12);
    }
  });

  it('runs on built-in games inside Wasm and is calibrated there too (n = 40, no table)', async () => {
    const soum = randomSoumGame(40, 30, 1, 5, seededRandom(9));
    const exact = closedFormShapley(soum);
    let within = 0;
    for (let seed = 0; seed < 10; seed++) {
      const r = await shapley(soum, { method: 'permutation', budget: 20_000, seed });
      for (let i = 0; i < 40; i++) if (Math.abs(r.values[i] - exact[i]) <= 3 * r.stderr![i] + 1e-15) within++;
    }
    expect(within / 400).toBeGreaterThanOrEqual(0.95);
  });

  it('a budget covering all 2^n coalitions spends 2^n evaluations on them and is exact (tables and built-in games)', async () => {
    for (const m of [1, 2, 3, 6, 10]) {
      const table = { players: names(m), values: randomTable(m, seededRandom(300 + m)) };
      const exact = await shapley(table, { method: 'exact' });
      for (const budget of [2 ** m, 2 ** m + 777]) {
        const r = await shapley(table, { method: 'permutation', budget, seed: 3 });
        expect(r.method).toBe('permutation');
        expect(r.evaluations).toBe(2 ** m);
        expect(Array.from(r.stderr!)).toEqual(new Array(m).fill(0));
        r.values.forEach((v, i) => expect(Math.abs(v - exact.values[i])).toBeLessThan(1e-12));
      }
    }
    const soum = randomSoumGame(14, 30, 1, 6, seededRandom(6));
    const truth = closedFormShapley(soum);
    // The default budget (100,000) covers 2^14 as well.
    for (const options of [{ budget: 2 ** 14 }, {}]) {
      const r = await shapley(soum, { method: 'permutation', seed: 1, ...options });
      expect(r.method).toBe('permutation');
      expect(r.evaluations).toBe(2 ** 14);
      expect(Array.from(r.stderr!)).toEqual(new Array(14).fill(0));
      r.values.forEach((v, i) => expect(Math.abs(v - truth[i])).toBeLessThan(1e-12));
    }
  });

  it('one evaluation short of 2^n it still samples', async () => {
    const m = 10;
    const table = { players: names(m), values: randomTable(m, seededRandom(11)) };
    const exact = await shapley(table, { method: 'exact' });
    const r = await shapley(table, { method: 'permutation', budget: 2 ** m - 1, seed: 3 });
    expect(r.method).toBe('permutation');
    expect(r.evaluations).toBe(planPermutation(m, 2 ** m - 1).evaluations);
    expect(r.evaluations).toBeLessThan(2 ** m);
    r.stderr!.forEach((e) => expect(e).toBeGreaterThan(0));
    expect(r.values.some((v, i) => Math.abs(v - exact.values[i]) > 1e-6)).toBe(true);
    const soum = randomSoumGame(14, 30, 1, 6, seededRandom(6));
    const sampled = await shapley(soum, { method: 'permutation', budget: 2 ** 14 - 1, seed: 1 });
    expect(sampled.evaluations).toBe(planPermutation(14, 2 ** 14 - 1).evaluations);
    expect(Math.max(...sampled.stderr!)).toBeGreaterThan(0);
  });

  it('a budget below two pairs names 2^n as well when 2^n is the smaller budget that works', async () => {
    const table = { players: names(3), values: [0, 1, 1, 2, 1, 2, 2, 3] };
    const smaller = /^budget: permutation sampling of 3 players needs at least 10 evaluations \(2 antithetic permutation pairs\), or 8 \(2\^3: every coalition, exact values\), got 6$/;
    await expect(shapley(table, { method: 'permutation', budget: 6 })).rejects.toThrow(smaller);
    await expect(shapley({ players: names(3), evaluate: (s: string[]) => s.length }, { method: 'permutation', budget: 6 })).rejects.toThrow(smaller);
    expect((await shapley(table, { method: 'permutation', budget: 8 })).evaluations).toBe(8);
    // With a tolerance an evaluator run samples even at 2^n, so 8 would not do.
    await expect(shapley({ players: names(3), evaluate: (s: string[]) => s.length }, { method: 'permutation', budget: 8, tolerance: 0.1 }))
      .rejects.toThrow(/needs at least 10 evaluations \(2 antithetic permutation pairs\), got 8$/);
    // From 4 players two pairs (14) cost less than 2^4, which needs no mention.
    await expect(shapley({ players: names(4), values: new Array(16).fill(0) }, { method: 'permutation', budget: 12 }))
      .rejects.toThrow(/needs at least 14 evaluations \(2 antithetic permutation pairs\), got 12$/);
  });
});
