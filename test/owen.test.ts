import { describe, expect, it } from 'vitest';
import { owen } from '../src/attribution/owen.js';
import { shapley } from '../src/attribution/shapley.js';
import { randomSoumGame, closedFormShapley } from '../src/core/games.js';
import { InputError } from '../src/core/errors.js';
import { EVALUATOR_MAX_BUDGET } from '../src/evaluator/evaluator-game.js';
import { names, randomTable, seededRandom } from './support/random.js';

/** All orders of `items`. */
function orders<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items.slice()];
  return items.flatMap((item, k) => orders([...items.slice(0, k), ...items.slice(k + 1)]).map((rest) => [item, ...rest]));
}

/** Owen values by definition: the mean marginal contribution over every order that keeps groups together. */
function bruteForceOwen(table: Float64Array, n: number, groups: number[][]): Float64Array {
  const phi = new Float64Array(n);
  let count = 0;
  for (const groupOrder of orders(groups.map((_, k) => k))) {
    const inner = groupOrder.map((k) => orders(groups[k]));
    const pick = (depth: number, prefix: number[]): void => {
      if (depth === groupOrder.length) {
        let mask = 0;
        for (const i of prefix) {
          phi[i] += table[mask | (1 << i)] - table[mask];
          mask |= 1 << i;
        }
        count++;
        return;
      }
      for (const order of inner[depth]) pick(depth + 1, [...prefix, ...order]);
    };
    pick(0, []);
  }
  return phi.map((v) => v / count);
}

/** The quotient game: one player per group, v(R) = v(union of R's groups). */
function quotient(table: Float64Array, groups: number[][]): Float64Array {
  const masks = groups.map((group) => group.reduce((mask, i) => mask | (1 << i), 0));
  return Float64Array.from({ length: 2 ** groups.length }, (_, r) => {
    let mask = 0;
    masks.forEach((m, k) => {
      if ((r >> k) & 1) mask |= m;
    });
    return table[mask];
  });
}

const structures: number[][][] = [
  [[0, 1], [2], [3, 4, 5]],
  [[0], [1], [2], [3]],
  [[0, 1, 2, 3, 4]],
  [[4, 0], [3, 1, 2]],
];

describe('owen()', () => {
  it('exact: equals the definition (all group-respecting orders) on random games', async () => {
    for (const groups of structures) {
      const n = groups.flat().length;
      const values = randomTable(n, seededRandom(n * 7 + groups.length));
      const players = names(n);
      const r = await owen({ players, values }, { groups: groups.map((g) => g.map((i) => players[i])) });
      expect(r.method).toBe('exact');
      const truth = bruteForceOwen(values, n, groups);
      for (let i = 0; i < n; i++) expect(r.values[i]).toBeCloseTo(truth[i], 12);
    }
  });

  it("exact: each group's members sum to the group's Shapley value in the quotient game", async () => {
    const n = 9;
    const groups = [[0, 3], [1, 2, 8], [4], [5, 6, 7]];
    const values = randomTable(n, seededRandom(3));
    const players = names(n);
    const r = await owen({ players, values }, { groups: groups.map((g) => g.map((i) => players[i])) });
    const groupShapley = await shapley({ players: names(groups.length), values: quotient(values, groups) }, { method: 'exact' });
    groups.forEach((group, k) => {
      const total = group.reduce((sum, i) => sum + r.values[i], 0);
      expect(total).toBeCloseTo(groupShapley.values[k], 12);
      expect(r.groupValues[k]).toBeCloseTo(groupShapley.values[k], 12);
    });
  });

  it('singleton groups or a single group give the Shapley value', async () => {
    const n = 7;
    const values = randomTable(n, seededRandom(11));
    const players = names(n);
    const exact = await shapley({ players, values }, { method: 'exact' });
    for (const groups of [players.map((p) => [p]), [players]]) {
      const r = await owen({ players, values }, { groups });
      for (let i = 0; i < n; i++) expect(r.values[i]).toBeCloseTo(exact.values[i], 12);
    }
  });

  it('sampled: unbiased around the exact values, calibrated, and groups add up to the quotient estimate', async () => {
    const n = 10;
    const groups = [[0, 1, 2], [3, 4], [5, 6, 7, 8, 9]];
    const values = randomTable(n, seededRandom(5));
    const players = names(n);
    const named = groups.map((g) => g.map((i) => players[i]));
    const exact = await owen({ players, values }, { groups: named });
    let within = 0;
    const mean = new Float64Array(n);
    // 80 runs of 55 pairs: a budget under 2^10 (one that buys every coalition is exact, not sampled).
    const seeds = 80;
    for (let seed = 0; seed < seeds; seed++) {
      const r = await owen({ players, values }, { groups: named, method: 'permutation', budget: 1000, seed });
      expect(r.evaluations).toBeLessThanOrEqual(1000);
      for (let i = 0; i < n; i++) {
        mean[i] += r.values[i] / seeds;
        if (Math.abs(r.values[i] - exact.values[i]) <= 3 * r.stderr![i]) within++;
      }
      groups.forEach((group, k) => expect(group.reduce((s, i) => s + r.values[i], 0)).toBeCloseTo(r.groupValues[k], 12));
    }
    expect(within / (seeds * n)).toBeGreaterThanOrEqual(0.93);
    for (let i = 0; i < n; i++) expect(Math.abs(mean[i] - exact.values[i])).toBeLessThan(0.05);
  });

  it('samples built-in games too large to tabulate; groups sum to their quotient Shapley values', async () => {
    const n = 40;
    const soum = randomSoumGame(n, 30, 1, 4, seededRandom(2));
    const groups = Array.from({ length: 8 }, (_, k) => soum.players.slice(5 * k, 5 * k + 5));
    const r = await owen(soum, { groups, budget: 40_000 });
    expect(r.method).toBe('permutation');
    expect(r.evaluations).toBeLessThanOrEqual(40_000);
    // With one player per group of an additive game the quotient value is the group sum; here check against Shapley's total.
    const total = r.values.reduce((a, b) => a + b, 0);
    const shapleyTotal = closedFormShapley(soum).reduce((a, b) => a + b, 0);
    expect(total).toBeCloseTo(shapleyTotal, 9);
  });

  it('samples with any seed the options take: those from 2^31 on fold to a 32-bit state too', async () => {
    const game = { players: names(6), values: randomTable(6, seededRandom(3)) };
    const groups = [game.players.slice(0, 3), game.players.slice(3)];
    for (const seed of [2 ** 31 + 5, 2 ** 32 - 1, 2 ** 40 + 1]) {
      const r = await owen(game, { groups, method: 'permutation', budget: 40, seed });
      expect(r.values.every(Number.isFinite)).toBe(true);
    }
  });

  it('evaluator games: exact calls evaluate 2^n times; sampled never exceeds the budget', async () => {
    const n = 6;
    const values = randomTable(n, seededRandom(8));
    const players = names(n);
    const groups = [players.slice(0, 2), players.slice(2)];
    let calls = 0;
    const evaluate = (coalition: string[]) => {
      calls++;
      return values[coalition.reduce((mask, name) => mask | (1 << players.indexOf(name)), 0)];
    };
    const viaTable = await owen({ players, values }, { groups });
    const r = await owen({ players, evaluate }, { groups, method: 'exact' });
    expect(calls).toBe(2 ** n);
    for (let i = 0; i < n; i++) expect(r.values[i]).toBeCloseTo(viaTable.values[i], 12);
    calls = 0;
    const sampled = await owen({ players, evaluate }, { groups, method: 'permutation', budget: 30 });
    expect(calls).toBeLessThanOrEqual(30);
    expect(sampled.evaluations).toBe(calls);
  });

  it('a budget that buys every coalition makes permutation exact, as in shapley(): zero stderr, the coalitions evaluated', async () => {
    const players = ['a', 'b', 'c'];
    const values = [0, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 1];
    const groups = [['a', 'b'], ['c']];
    const exact = [0.25, 0.25, 0.5];
    for (const budget of [8, 100_000, 1e9]) {
      const r = await owen({ players, values }, { groups, method: 'permutation', budget });
      expect([...r.values]).toEqual(exact);
      expect([...r.stderr!]).toEqual([0, 0, 0]);
      expect(r.method).toBe('permutation');
      expect(r.evaluations).toBe(8);
    }
    let calls = 0;
    const evaluate = (coalition: string[]) => {
      calls++;
      return values[coalition.reduce((mask, name) => mask | (1 << players.indexOf(name)), 0)];
    };
    const viaEvaluator = await owen({ players, evaluate }, { groups, method: 'permutation', budget: 100_000 });
    expect([...viaEvaluator.values]).toEqual(exact);
    expect([...viaEvaluator.stderr!]).toEqual([0, 0, 0]);
    expect([viaEvaluator.evaluations, calls]).toEqual([8, 8]);
    // Evaluations count the distinct coalitions evaluate was called for, as shapley() reports them: a full cache costs none.
    const { cache } = await shapley({ players, evaluate }, { method: 'exact' });
    calls = 0;
    for (const method of ['exact', 'permutation'] as const) {
      const cached = await owen({ players, evaluate }, { groups, method, budget: 8, cache });
      expect([...cached.values]).toEqual(exact);
      expect([cached.evaluations, calls]).toEqual([0, 0]);
    }
    // A tolerance accepts a run that stops early, so the budget does not make it enumerate (as in shapley()).
    const tolerant = await owen({ players, evaluate }, { groups, method: 'permutation', budget: 100_000, tolerance: 0.01 });
    expect(tolerant.stderr!.some((e) => e > 0)).toBe(true);
  });

  it('evaluator games: a budget past the evaluator cap is refused as in shapley(), before evaluate is called', async () => {
    let calls = 0;
    const players = names(22);
    const evaluate = (coalition: string[]) => (calls++, coalition.length);
    const budget = EVALUATOR_MAX_BUDGET + 1;
    const fromShapley = await shapley({ players, evaluate }, { budget }).catch((e: Error) => e);
    // The signal ends the run that was accepted before the fix, which would otherwise sample for hours.
    const error = await owen({ players, evaluate }, { groups: [players], budget, signal: AbortSignal.timeout(2000) }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe((fromShapley as Error).message);
    expect((error as Error).message).toMatch(new RegExp(`^options\\.budget: .*at most ${EVALUATOR_MAX_BUDGET} .*got ${budget}$`));
    expect(calls).toBe(0);
  });

  it('evaluator games: exact values count only the coalitions the cache lacks against the budget, as in shapley()', async () => {
    const players = ['a', 'b', 'c'];
    const values = [0, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 1];
    const groups = [['a', 'b'], ['c']];
    let calls = 0;
    const evaluate = (coalition: string[]) => {
      calls++;
      return values[coalition.reduce((mask, name) => mask | (1 << players.indexOf(name)), 0)];
    };
    const full = (await shapley({ players, evaluate }, { method: 'exact' })).cache.toJSON();
    // Five of the eight coalitions cached: three left to pay for.
    const partial = () => ({ ...full, coalitions: Object.fromEntries(Object.entries(full.coalitions).slice(0, 5)) });
    calls = 0;
    const r = await owen({ players, evaluate }, { groups, method: 'exact', budget: 3, cache: partial() });
    expect([...r.values]).toEqual([0.25, 0.25, 0.5]);
    expect([r.evaluations, calls]).toEqual([3, 3]);
    calls = 0;
    const fromShapley = await shapley({ players, evaluate }, { method: 'exact', budget: 2, cache: partial() }).catch((e: Error) => e);
    const error = await owen({ players, evaluate }, { groups, method: 'exact', budget: 2, cache: partial() }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe((fromShapley as Error).message);
    expect((error as Error).message).toMatch(/^options\.budget: method 'exact' needs 3 more evaluate calls \(2\^3 coalitions, 5 cached\), got a budget of 2\./);
    expect(calls).toBe(0);
  });

  it('one player: a budget of 1 is refused, never exceeded, as in shapley()', async () => {
    const players = ['a'];
    const groups = [players];
    let calls = 0;
    const evaluate = (coalition: string[]) => (calls++, 2 * coalition.length);
    for (const method of ['auto', 'permutation', 'exact'] as const) {
      const error = await owen({ players, evaluate }, { groups, method, budget: 1 }).catch((e: Error) => e);
      expect(error, method).toBeInstanceOf(InputError);
      expect((error as Error).message).toMatch(/^options\.budget: method '\w+' needs 2 more evaluate calls \(2\^1 coalitions, 0 cached\), got a budget of 1\. Raise the budget\.$/);
    }
    expect(calls).toBe(0);
    // With one of the two coalitions cached, a budget of 1 pays for the other.
    const full = (await shapley({ players, evaluate }, { method: 'exact' })).cache.toJSON();
    const partial = { ...full, coalitions: Object.fromEntries(Object.entries(full.coalitions).slice(0, 1)) };
    calls = 0;
    const r = await owen({ players, evaluate }, { groups, method: 'permutation', budget: 1, cache: partial });
    expect([...r.values, r.evaluations, calls]).toEqual([2, 1, 1]);
    // A table or built-in game sampled on a budget under its two coalitions is refused, as shapley() refuses it.
    for (const game of [{ players, values: [0, 2] }, randomSoumGame(1, 3, 1, 1, seededRandom(1))]) {
      await expect(owen(game, { groups: [game.players], method: 'permutation', budget: 1 })).rejects.toThrow(/^budget: .* need at least 2 evaluations/);
    }
  });

  it('bad groups: a clear error naming the group and the player', async () => {
    await expect(owen({ players: ['a', 'b'], values: [0, 1, 1, 2], evaluate: () => 1 } as never, { groups: [['a', 'b']] }))
      .rejects.toThrow(/^game: values: a game holds either evaluate or values/);
    const game = { players: ['a', 'b', 'c'], values: [0, 1, 1, 2, 1, 2, 2, 3] };
    const cases: [unknown, RegExp][] = [
      [[['a', 'b']], /missing "c"/],
      [[['a', 'b'], ['b', 'c']], /groups\[1\]\[0\]: "b" is already in groups\[0\]/],
      [[['a', 'x'], ['b', 'c']], /groups\[0\]\[1\]: "x" is not one of the players/],
      [[[], ['a', 'b', 'c']], /groups\[0\]: expected a non-empty array/],
      [undefined, /options.groups: expected a non-empty array/],
    ];
    for (const [groups, message] of cases) {
      const error = await owen(game, { groups } as never).catch((e) => e);
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toMatch(message);
    }
  });
});
