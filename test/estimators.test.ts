import { describe, expect, it } from 'vitest';
import { designSampler, proxySettings, type DesignMethod } from '../src/estimators/design-estimators.js';
import { GAME_KIND_ID, closedFormShapley, randomSoumGame, soumGame } from '../src/core/games.js';
import { tabulate } from '../src/core/exact.js';
import { kernelExports } from '../src/core/wasm/module.js';
import { driveOnTable } from './support/drive.js';
import { textbookShapley } from './support/textbook.js';
import { names, randomTable, seededRandom } from './support/random.js';
import { tableEvaluator } from './support/evaluators.js';
import { shapley, type ShapleyResult } from '../src/attribution/shapley.js';

const core = await kernelExports();
const METHODS: DesignMethod[] = ['kernel', 'svarm', 'msr'];

function sumOf(values: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i];
  return total;
}

function meanSquaredError(values: ArrayLike<number>, truth: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < truth.length; i++) total += (values[i] - truth[i]) ** 2;
  return total / truth.length;
}

describe('kernel, svarm and msr on the paired size-class design', () => {
  const n = 10;
  const table = randomTable(n, seededRandom(21));
  const truth = textbookShapley(table, n);

  it.each(METHODS)('%s: asks each coalition once and spends exactly the budget', (method) => {
    for (const budget of [2, 3, 37, 100, 401, 1000]) {
      const sampler = designSampler(method, core, n, budget, 3);
      const { asked } = driveOnTable(sampler, table, budget);
      expect(asked.length).toBe(budget);
      expect(new Set(asked).size).toBe(asked.length);
      expect(asked.slice(0, 2)).toEqual([0, 2 ** n - 1]);
      sampler.dispose();
    }
  });

  it.each(METHODS)('%s: exact once the design enumerates every size (budget 2^n)', (method) => {
    const sampler = designSampler(method, core, n, 2 ** n, 1);
    driveOnTable(sampler, table, 2 ** n);
    const { values } = sampler.estimate();
    for (let i = 0; i < n; i++) expect(values[i]).toBeCloseTo(truth[i], 9);
    sampler.dispose();
  });

  it.each(METHODS)('%s: exactly efficient (sum = v(N) - v(empty)) at any budget', (method) => {
    const sampler = designSampler(method, core, n, 300, 4);
    driveOnTable(sampler, table, 300);
    expect(sumOf(sampler.estimate().values)).toBeCloseTo(table[2 ** n - 1] - table[0], 9);
    sampler.dispose();
  });

  it.each(METHODS)('%s: ask/tell and the in-Wasm loop give the same values for a seed', (method) => {
    const driven = designSampler(method, core, n, 500, 9);
    driveOnTable(driven, table, 500);
    const inWasm = designSampler(method, core, n, 500, 9);
    inWasm.runInWasm(GAME_KIND_ID.table, table);
    expect(Array.from(inWasm.estimate().values)).toEqual(Array.from(driven.estimate().values));
    expect(inWasm.evaluations).toBe(500);
    driven.dispose();
    inWasm.dispose();
  });

  it.each(METHODS)('%s: consistent, the error falls with the budget (n = 14 SOUM, seeded)', (method) => {
    const m = 14;
    const soum = randomSoumGame(m, 40, 1, 6, seededRandom(5));
    const exact = closedFormShapley(soum);
    const error = (budget: number) => {
      let total = 0;
      for (let seed = 0; seed < 8; seed++) {
        const sampler = designSampler(method, core, m, budget, seed);
        sampler.runInWasm(GAME_KIND_ID.soum, soum.params);
        total += meanSquaredError(sampler.estimate().values, exact);
        sampler.dispose();
      }
      return total / 8;
    };
    expect(error(4000)).toBeLessThan(error(400) / 4);
  });

  it('svarm is unbiased: the mean over seeds sits within sampling error of the truth', () => {
    const budget = 200;
    const seeds = 300;
    const sums = new Float64Array(n);
    const squares = new Float64Array(n);
    for (let seed = 0; seed < seeds; seed++) {
      const sampler = designSampler('svarm', core, n, budget, seed);
      sampler.runInWasm(GAME_KIND_ID.table, table);
      const { values } = sampler.estimate();
      for (let i = 0; i < n; i++) {
        sums[i] += values[i];
        squares[i] += values[i] ** 2;
      }
      sampler.dispose();
    }
    for (let i = 0; i < n; i++) {
      const mean = sums[i] / seeds;
      const spread = Math.sqrt((squares[i] / seeds - mean ** 2) / seeds);
      expect(Math.abs(mean - truth[i])).toBeLessThan(4.5 * spread);
    }
  });

  it.each(['svarm', 'msr'] as const)('%s: standard errors are calibrated (|error| <= 3 stderr for >= 93% of players)', (method) => {
    const m = 16;
    const soum = randomSoumGame(m, 60, 1, 8, seededRandom(8));
    const exact = closedFormShapley(soum);
    let within = 0;
    let total = 0;
    for (let seed = 0; seed < 30; seed++) {
      const sampler = designSampler(method, core, m, 3000, seed);
      sampler.runInWasm(GAME_KIND_ID.soum, soum.params);
      const { values, stderr } = sampler.estimate();
      for (let i = 0; i < m; i++) {
        total++;
        if (Math.abs(values[i] - exact[i]) <= 3 * stderr![i]) within++;
      }
      sampler.dispose();
    }
    expect(within / total).toBeGreaterThanOrEqual(0.93);
  });

  it('msr: a proxy family that holds the game leaves almost nothing to sample (pairwise SOUM, n = 12)', async () => {
    const m = 12;
    const random = seededRandom(2);
    const terms = Array.from({ length: 20 }, () => {
      const i = Math.floor(random() * m);
      const j = (i + 1 + Math.floor(random() * (m - 1))) % m;
      return { members: [i, j], coefficient: 2 * random() - 1 };
    });
    const game = soumGame(m, terms);
    const sampler = designSampler('msr', core, m, 1500, 0, { ...proxySettings(m, 1500), pairDegree: 1 });
    sampler.runInWasm(GAME_KIND_ID.soum, game.params);
    const exact = closedFormShapley(game);
    // Only the ridge's shrinkage is left for the Monte Carlo part (svarm alone: ~1e-3).
    expect(meanSquaredError(sampler.estimate().values, exact)).toBeLessThan(1e-7);
    expect((await tabulate(game)).length).toBe(2 ** m);
    sampler.dispose();
  });

  it('msr beats svarm and kernel per evaluation on SOUM games (n = 20, budget 2,000)', () => {
    const m = 20;
    const errors = new Map<DesignMethod, number>();
    for (const method of METHODS) {
      let total = 0;
      for (let g = 0; g < 3; g++) {
        const soum = randomSoumGame(m, 30, 1, 5, seededRandom(100 + g));
        const sampler = designSampler(method, core, m, 2000, g);
        sampler.runInWasm(GAME_KIND_ID.soum, soum.params);
        total += meanSquaredError(sampler.estimate().values, closedFormShapley(soum));
        sampler.dispose();
      }
      errors.set(method, total);
    }
    expect(errors.get('msr')!).toBeLessThan(errors.get('svarm')!);
    expect(errors.get('msr')!).toBeLessThan(errors.get('kernel')!);
  });

  it('proxy settings: size-dependent pairwise terms only with budget for them, never beyond 40 players', () => {
    expect(proxySettings(20, 1000).pairDegree).toBe(-1);
    expect(proxySettings(20, 5000).pairDegree).toBe(1);
    expect(proxySettings(64, 1e6).pairDegree).toBe(-1);
    expect(proxySettings(20, 5000).folds).toBeGreaterThanOrEqual(2);
  });

  it('a disposed sampler refuses further use; tell checks the batch length', () => {
    const sampler = designSampler('svarm', core, 4, 10, 0);
    const masks = sampler.ask(10);
    expect(() => sampler.tell(new Float64Array(masks.length + 1))).toThrow(/expected \d+ values/);
    expect(() => sampler.ask(10)).toThrow(/tell\(\) the values of the last batch/);
    sampler.dispose();
    expect(() => sampler.ask(1)).toThrow(/disposed/);
  });
});

describe('every method through shapley(): exact once the budget covers all 2^n coalitions', () => {
  const ALL = ['permutation', 'stratified', 'kernel', 'svarm', 'msr', 'auto'] as const;
  const m = 9;
  const table = { players: names(m), values: randomTable(m, seededRandom(31)) };
  const soum = randomSoumGame(12, 30, 1, 6, seededRandom(32));

  /** 'auto' resolves to 'exact' there (stderr null); the estimators keep their name, with zero stderr. */
  function expectExact(r: ShapleyResult, method: (typeof ALL)[number], truth: ArrayLike<number>) {
    const n = truth.length;
    expect(r.method).toBe(method === 'auto' ? 'exact' : method);
    expect(r.evaluations).toBe(2 ** n);
    if (method === 'auto') expect(r.stderr).toBeNull();
    else expect(Array.from(r.stderr!)).toEqual(new Array(n).fill(0));
    for (let i = 0; i < n; i++) expect(Math.abs(r.values[i] - truth[i])).toBeLessThan(1e-12);
  }

  it.each(ALL)('%s: tables and built-in games, budget 2^n and beyond', async (method) => {
    const exactTable = (await shapley(table, { method: 'exact' })).values;
    const exactSoum = closedFormShapley(soum);
    for (const extra of [0, 1000]) {
      expectExact(await shapley(table, { method, budget: 2 ** m + extra, seed: 2 }), method, exactTable);
      expectExact(await shapley(soum, { method, budget: 2 ** 12 + extra, seed: 2 }), method, exactSoum);
    }
  });

  it.each(ALL)('%s: evaluator games call evaluate exactly once per coalition', async (method) => {
    const n = 7;
    const values = randomTable(n, seededRandom(33));
    const players = names(n);
    const truth = (await shapley({ players, values }, { method: 'exact' })).values;
    const { evaluate, seen } = tableEvaluator(players, values);
    const r = await shapley({ players, evaluate }, { method, budget: 2 ** n, seed: 2 });
    expectExact(r, method, truth);
    expect(r.stopReason).toBe('complete');
    expect(seen.length).toBe(2 ** n);
    expect(new Set(seen).size).toBe(2 ** n);
  });

  it.each(ALL.filter((method) => method !== 'auto'))('%s: one evaluation short of 2^n, it samples within the budget', async (method) => {
    const r = await shapley(table, { method, budget: 2 ** m - 1, seed: 2 });
    expect(r.method).toBe(method);
    expect(r.evaluations).toBeLessThan(2 ** m);
    // (The design methods nearly enumerate every size class at this budget, so their stderr may already be 0.)
    if (method === 'permutation' || method === 'stratified') expect(Math.max(...r.stderr!)).toBeGreaterThan(0);
    const { evaluate, seen } = tableEvaluator(table.players, table.values);
    const viaEvaluator = await shapley({ players: table.players, evaluate }, { method, budget: 2 ** m - 1, seed: 2 });
    expect(viaEvaluator.stopReason).toBe('budget');
    expect(seen.length).toBeLessThan(2 ** m);
    expect(new Set(seen).size).toBe(seen.length);
  });
});

describe('every method through shapley(): a budget is never exceeded', () => {
  it('small games and small budgets: each method spends at most its budget, or refuses it with an InputError that says how many it needs', async () => {
    for (const n of [1, 2, 3, 5, 8]) {
      const game = randomSoumGame(n, 6, 1, n, seededRandom(n));
      for (const method of ['permutation', 'stratified', 'kernel', 'svarm', 'msr', 'auto'] as const) {
        for (const budget of [1, 2, 3, 4, n + 1, 2 * n + 3, 2 ** n - 1, 2 ** n]) {
          if (budget < 1) continue;
          const outcome = await shapley(game, { method, budget }).catch((error: Error) => error);
          if (outcome instanceof Error) {
            expect(outcome.name, `${method}, n = ${n}, budget ${budget}`).toBe('InputError');
            expect(outcome.message).toMatch(/^budget: .* needs at least \d+ evaluations/);
            expect(budget).toBeLessThan(2 ** n);
          } else {
            expect(outcome.evaluations, `${method}, n = ${n}, budget ${budget}`).toBeLessThanOrEqual(budget);
          }
        }
      }
    }
  });
});

describe('near-full budgets on small games', () => {
  // Unbiased means over seeds: the middle size n/2 holds both coalitions of
  // its units, where the covariance factor of the other sizes was biased.
  it.each([[4, 14], [4, 12], [6, 50]] as const)('svarm with n = %i, budget %i: the mean over seeds sits within sampling error of the truth', (n, budget) => {
    const table = randomTable(n, seededRandom(40 + n));
    const truth = textbookShapley(table, n);
    const seeds = 400;
    const sums = new Float64Array(n);
    const squares = new Float64Array(n);
    for (let seed = 0; seed < seeds; seed++) {
      const sampler = designSampler('svarm', core, n, budget, seed);
      driveOnTable(sampler, table, budget);
      const { values } = sampler.estimate();
      sampler.dispose();
      values.forEach((value, i) => {
        sums[i] += value;
        squares[i] += value ** 2;
      });
    }
    for (let i = 0; i < n; i++) {
      const mean = sums[i] / seeds;
      const spread = Math.sqrt(Math.max(squares[i] / seeds - mean ** 2, 0) / seeds);
      expect(Math.abs(mean - truth[i]), `player ${i}`).toBeLessThanOrEqual(4.5 * spread + 1e-12);
    }
  });

  it('a null player of an additive game gets exactly 0 from svarm with 2 of the 3 middle units (n = 4, budget 14)', async () => {
    const players = ['planner', 'coder', 'critic', 'ghost'];
    const evaluate = (coalition: string[]) => coalition.filter((p) => p !== 'ghost').length / 3;
    for (let seed = 0; seed < 10; seed++) {
      const { values } = await shapley({ players, evaluate }, { method: 'svarm', budget: 14, seed });
      expect(Math.abs(values[3])).toBeLessThan(1e-12);
    }
  });

  it("'auto' samples small games with svarm: msr's proxy would be corrected on the coalitions it never saw", async () => {
    const players = ['planner', 'coder', 'critic', 'ghost'];
    const evaluate = (coalition: string[]) => coalition.filter((p) => p !== 'ghost').length / 3;
    const small = await shapley({ players, evaluate }, { budget: 14, seed: 1 });
    expect(small.method).toBe('svarm');
    expect(Math.abs(small.values[3])).toBeLessThan(1e-12);
    const six = await shapley({ players: names(6), evaluate: (coalition: string[]) => coalition.length }, { budget: 40 });
    expect(six.method).toBe('msr');
  });

  it.each(['svarm', 'msr'] as const)('%s: no standard error of 0 on a value that is not exact (an odd budget completes one class of a pair)', async (method) => {
    // v({}) .. v(N) of 3 players in mask order; 7 of the 8 coalitions.
    const game = { players: ['planner', 'coder', 'critic'], values: [0, 0.2, 0.5, 0.6, 0.1, 0.3, 0.6, 1] };
    const exact = (await shapley(game)).values;
    for (let seed = 0; seed < 30; seed++) {
      const { values, stderr } = await shapley(game, { method, budget: 7, seed });
      values.forEach((value, i) => {
        if (Math.abs(value - exact[i]) > 1e-9) expect(stderr![i], `seed ${seed}, player ${i}`).toBeGreaterThan(0);
      });
    }
  });
});

describe('standard errors of sizes sampled fewer than twice', () => {
  const n = 12;
  const table = randomTable(n, seededRandom(77));

  it.each(['svarm', 'msr'] as const)('%s: +Infinity until every sampled size pair has two units, finite after', (method) => {
    // Budget 12: v(empty), v(N) and 5 units over 6 class pairs, so some pair has fewer than two.
    const small = designSampler(method, core, n, 12, 1);
    driveOnTable(small, table, 12);
    const tiny = small.estimate();
    expect(Array.from(tiny.stderr!)).toEqual(new Array(n).fill(Infinity));
    small.dispose();

    // Mid-run: only the first units are told.
    const sampler = designSampler(method, core, n, 2000, 1);
    const first = sampler.ask(6);
    sampler.tell(Float64Array.from(first, (mask) => table[mask]));
    expect(Array.from(sampler.estimate().stderr!)).toEqual(new Array(n).fill(Infinity));
    const rest: number[] = [];
    for (;;) {
      const masks = sampler.ask(2000);
      if (masks.length === 0) break;
      masks.forEach((mask) => rest.push(mask));
      sampler.tell(Float64Array.from(masks, (mask) => table[mask]));
    }
    const full = sampler.estimate();
    full.stderr!.forEach((e) => {
      expect(Number.isFinite(e)).toBe(true);
      expect(e).toBeGreaterThan(0);
    });
    sampler.dispose();
  });

  it('stratified: +Infinity before its strata are observed twice, finite once they are', async () => {
    const { stratifiedMinimumBudget, stratifiedSampler } = await import('../src/estimators/stratified.js');
    const minimum = stratifiedMinimumBudget(n);
    const once = stratifiedSampler(core, n, minimum, 1);
    expect(Array.from(once.estimate().stderr!)).toEqual(new Array(n).fill(Infinity));
    // The first batch is the exact sizes 0 and n-1 only: no stratum has an observation yet.
    const exact = once.ask(minimum);
    expect(exact.length).toBe(2 * n + 2);
    once.tell(Float64Array.from(exact, (mask) => table[mask]));
    expect(Array.from(once.estimate().stderr!)).toEqual(new Array(n).fill(Infinity));
    once.dispose();
    const twice = stratifiedSampler(core, n, 3 * minimum, 1);
    driveOnTable(twice, table, 3 * minimum);
    twice.estimate().stderr!.forEach((e) => expect(Number.isFinite(e)).toBe(true));
    twice.dispose();
  });
});
