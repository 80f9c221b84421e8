import { describe, expect, it } from 'vitest';
import { shapley } from '../src/attribution/shapley.js';
import { InputError } from '../src/core/errors.js';
import { checkWasmMethod, isWasmMethod, SAMPLED_MAX_BUDGET } from '../src/estimators/wasm-estimators.js';
import { PERMUTATION_MAX_BUDGET, planPermutation } from '../src/estimators/permutation.js';
import { EVALUATOR_MAX_BUDGET } from '../src/evaluator/evaluator-game.js';
import { soumGame } from '../src/core/games.js';
import { binomial, planDesign } from '../src/estimators/design.js';
import { sizeWeight } from '../src/estimators/design-estimators.js';
import { names, randomTable, seededRandom } from './support/random.js';

describe('the Wasm estimators behind shapley()', () => {
  const n = 9;
  const values = randomTable(n, seededRandom(17));
  const players = names(n);

  it.each(['stratified', 'kernel', 'svarm', 'msr'] as const)(
    '%s on an evaluator game: distinct calls within the budget, same values as on the table',
    async (method) => {
      const budget = method === 'stratified' ? 400 : 300;
      const seen = new Set<number>();
      let calls = 0;
      const evaluate = async (coalition: string[]) => {
        calls++;
        const mask = coalition.reduce((m, name) => m | (1 << players.indexOf(name)), 0);
        seen.add(mask);
        return values[mask];
      };
      const r = await shapley({ players, evaluate }, { method, budget, seed: 4, concurrency: 3 });
      const viaTable = await shapley({ players, values }, { method, budget, seed: 4 });
      expect(r.method).toBe(method);
      expect(calls).toBe(seen.size);
      expect(calls).toBeLessThanOrEqual(budget);
      if (method !== 'stratified') expect(calls).toBe(budget);
      expect(r.evaluations).toBe(calls);
      for (let i = 0; i < n; i++) expect(r.values[i]).toBeCloseTo(viaTable.values[i], 12);
    },
  );

  it("evaluator games: 'auto' samples with msr, and a budget of 2^n makes the estimators exact", async () => {
    const evaluate = (coalition: string[]) => values[coalition.reduce((m, name) => m | (1 << players.indexOf(name)), 0)];
    const sampled = await shapley({ players, evaluate }, { budget: 200 });
    expect(sampled.method).toBe('msr');
    const exact = await shapley({ players, values }, { method: 'exact' });
    const covered = await shapley({ players, evaluate }, { method: 'svarm', budget: 2 ** n });
    expect(covered.evaluations).toBe(2 ** n);
    for (let i = 0; i < n; i++) expect(covered.values[i]).toBeCloseTo(exact.values[i], 12);
  });

  it('checks players and budget with a clear message', () => {
    expect(isWasmMethod('msr')).toBe(true);
    expect(isWasmMethod('permutation')).toBe(false);
    expect(() => checkWasmMethod('msr', 65, 1000)).toThrow(/at most 64 players, got 65; use method 'permutation'/);
    expect(() => checkWasmMethod('kernel', 10, 1)).toThrow(/needs at least 2 evaluations \(v\(empty\) and v\(N\)\), got 1/);
    expect(() => checkWasmMethod('stratified', 20, 500)).toThrow(InputError);
    expect(() => checkWasmMethod('stratified', 20, 500)).toThrow(/needs at least 762 .*method 'msr' or 'kernel' works with less/);
  });
});

describe('budget caps', () => {
  it.each(['stratified', 'kernel', 'svarm', 'msr'] as const)('%s: accepts SAMPLED_MAX_BUDGET, refuses one more naming options.budget', (method) => {
    expect(() => checkWasmMethod(method, 30, SAMPLED_MAX_BUDGET)).not.toThrow();
    for (const budget of [SAMPLED_MAX_BUDGET + 1, 1.3e8, 2 ** 30, 2 ** 31, Number.MAX_SAFE_INTEGER]) {
      expect(() => checkWasmMethod(method, 30, budget)).toThrow(InputError);
      expect(() => checkWasmMethod(method, 30, budget)).toThrow(
        new RegExp(`options\\.budget: method '${method}' takes at most ${SAMPLED_MAX_BUDGET} evaluations .*got ${budget}; use method 'permutation'`),
      );
    }
  });

  it('permutation: plans PERMUTATION_MAX_BUDGET, refuses one more naming options.budget', () => {
    expect(planPermutation(30, PERMUTATION_MAX_BUDGET).evaluations).toBeLessThanOrEqual(PERMUTATION_MAX_BUDGET);
    expect(planPermutation(30, PERMUTATION_MAX_BUDGET).pairs).toBeLessThan(2 ** 31);
    for (const budget of [PERMUTATION_MAX_BUDGET + 1, Number.MAX_SAFE_INTEGER]) {
      expect(() => planPermutation(30, budget)).toThrow(InputError);
      expect(() => planPermutation(30, budget)).toThrow(
        new RegExp(`options\\.budget: method 'permutation' takes at most ${PERMUTATION_MAX_BUDGET} evaluations .*got ${budget}`),
      );
    }
  });

  it('shapley() on tables and built-in games refuses budgets over the caps before touching Wasm memory', async () => {
    const game = soumGame(30, [{ members: [1, 2], coefficient: 1 }]);
    await expect(shapley(game, { method: 'stratified', budget: 2 ** 31 })).rejects.toThrow(/options\.budget: method 'stratified' takes at most/);
    await expect(shapley(game, { method: 'msr', budget: 1.3e8 })).rejects.toThrow(/options\.budget: method 'msr' takes at most/);
    await expect(shapley(game, { method: 'permutation', budget: Number.MAX_SAFE_INTEGER })).rejects.toThrow(
      /options\.budget: method 'permutation' takes at most/,
    );
    // Still usable afterwards, and a budget covering 2^n is exact whatever its size.
    const small = soumGame(3, [{ members: [0, 1], coefficient: 1 }]);
    const r = await shapley(small, { method: 'msr', budget: Number.MAX_SAFE_INTEGER });
    expect(r.evaluations).toBe(8);
  });

  it('the evaluator cap is the same constant', () => {
    expect(EVALUATOR_MAX_BUDGET).toBe(SAMPLED_MAX_BUDGET);
  });
});

describe('the paired size-class design (kernel, svarm, msr)', () => {
  it('never plans a coalition a class pair does not have: full pairs are enumerated, the odd one goes to a pair with room', () => {
    for (let n = 2; n <= 14; n++) {
      const budgets = n <= 10 ? Array.from({ length: 2 ** n - 2 }, (_, k) => k + 2) : Array.from({ length: 400 }, (_, k) => 2 + Math.floor(((k + 0.5) / 400) * (2 ** n - 2)));
      for (const method of ['kernel', 'svarm', 'msr'] as const) {
        for (const budget of budgets) {
          const plan = planDesign(n, budget, sizeWeight(method, n));
          const where = `n = ${n}, ${method}, budget ${budget}`;
          for (let s = 1; s <= n / 2; s++) {
            const capacity = 2 * s === n ? binomial(n, s) / 2 : binomial(n, s);
            expect(plan.units[s], where).toBeLessThanOrEqual(capacity);
            if (plan.units[s] === capacity) expect(plan.enumerate[s], where).toBe(1);
          }
          if (plan.single >= 0) {
            const capacity = 2 * plan.single === n ? binomial(n, plan.single) / 2 : binomial(n, plan.single);
            expect(plan.units[plan.single], where).toBeLessThan(capacity);
          }
          expect(plan.evaluations, where).toBeLessThanOrEqual(budget);
        }
      }
    }
  });

  it('every budget below 2^n runs to its end (n = 3..8): an odd budget that filled a class by rounding drew forever before', async () => {
    for (let n = 3; n <= 8; n++) {
      const players = names(n);
      const values = randomTable(n, seededRandom(n));
      for (const method of ['kernel', 'svarm', 'msr'] as const) {
        for (let budget = 2; budget < 2 ** n; budget++) {
          const result = await shapley({ players, values }, { method, budget, seed: budget }).catch((error: unknown) => {
            if (error instanceof InputError) return null; // a budget below the method's minimum, said so
            throw error;
          });
          if (result) expect(result.evaluations, `n = ${n}, ${method}, budget ${budget}`).toBeLessThanOrEqual(budget);
        }
      }
    }
  });
});
