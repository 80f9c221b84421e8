import { describe, expect, it } from 'vitest';
import { GAME_KIND_ID, closedFormShapley, randomSoumGame } from '../src/core/games.js';
import { stratifiedMinimumBudget, stratifiedSampler } from '../src/estimators/stratified.js';
import { kernelExports } from '../src/core/wasm/module.js';
import { driveOnTable } from './support/drive.js';
import { textbookShapley } from './support/textbook.js';
import { randomTable, seededRandom } from './support/random.js';

const core = await kernelExports();

describe('stratified marginal sampling', () => {
  const n = 9;
  const table = randomTable(n, seededRandom(31));
  const truth = textbookShapley(table, n);

  it('asks each coalition once, never exceeds the budget and spends it (but for a last unit that cannot fit)', () => {
    for (const budget of [stratifiedMinimumBudget(n), 200, 333, 480]) {
      const sampler = stratifiedSampler(core, n, budget, 2);
      const { asked } = driveOnTable(sampler, table, budget);
      expect(new Set(asked).size).toBe(asked.length);
      expect(asked.length).toBeLessThanOrEqual(budget);
      expect(asked.length).toBeGreaterThanOrEqual(budget - 3);
      sampler.dispose();
    }
  });

  it('sizes 0 and n-1 are exact: a game that only rewards the full team and singletons is recovered', () => {
    // v(S) = 1 for |S| = 1 and v(N) = 5: only the exact strata carry value.
    const edge = new Float64Array(2 ** n);
    for (let i = 0; i < n; i++) edge[1 << i] = 1;
    edge[2 ** n - 1] = 5;
    const sampler = stratifiedSampler(core, n, 300, 0);
    sampler.runInWasm(GAME_KIND_ID.table, edge);
    const exact = textbookShapley(edge, n);
    sampler.estimate().values.forEach((v, i) => expect(v).toBeCloseTo(exact[i], 12));
    sampler.dispose();
  });

  it('unbiased: the mean over seeds sits within sampling error of the truth', () => {
    const seeds = 200;
    const sums = new Float64Array(n);
    const squares = new Float64Array(n);
    for (let seed = 0; seed < seeds; seed++) {
      const sampler = stratifiedSampler(core, n, 300, seed);
      sampler.runInWasm(GAME_KIND_ID.table, table);
      sampler.estimate().values.forEach((v, i) => {
        sums[i] += v;
        squares[i] += v * v;
      });
      sampler.dispose();
    }
    for (let i = 0; i < n; i++) {
      const mean = sums[i] / seeds;
      const spread = Math.sqrt((squares[i] / seeds - mean ** 2) / seeds);
      expect(Math.abs(mean - truth[i])).toBeLessThan(4.5 * spread);
    }
  });

  it('the error falls with the budget and standard errors are calibrated (n = 16 SOUM)', () => {
    const m = 16;
    const soum = randomSoumGame(m, 40, 1, 6, seededRandom(12));
    const exact = closedFormShapley(soum);
    const run = (budget: number) => {
      let squared = 0;
      let within = 0;
      for (let seed = 0; seed < 20; seed++) {
        const sampler = stratifiedSampler(core, m, budget, seed);
        sampler.runInWasm(GAME_KIND_ID.soum, soum.params);
        const { values, stderr } = sampler.estimate();
        for (let i = 0; i < m; i++) {
          squared += (values[i] - exact[i]) ** 2;
          if (Math.abs(values[i] - exact[i]) <= 3 * stderr![i]) within++;
        }
        sampler.dispose();
      }
      return { mse: squared / (20 * m), coverage: within / (20 * m) };
    };
    const small = run(1500);
    const large = run(12000);
    expect(large.mse).toBeLessThan(small.mse / 3);
    expect(large.coverage).toBeGreaterThanOrEqual(0.93);
    expect(small.coverage).toBeGreaterThanOrEqual(0.9);
  });

  it('the same seed gives the same values through ask/tell and in Wasm', () => {
    const driven = stratifiedSampler(core, n, 400, 7);
    driveOnTable(driven, table, 400);
    const inWasm = stratifiedSampler(core, n, 400, 7);
    inWasm.runInWasm(GAME_KIND_ID.table, table);
    expect(Array.from(inWasm.estimate().values)).toEqual(Array.from(driven.estimate().values));
    driven.dispose();
    inWasm.dispose();
  });
});
