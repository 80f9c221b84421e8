import { describe, expect, it } from 'vitest';
import { exactBanzhafValues, exactShapleyValues, tabulate } from '../src/core/exact.js';
import {
  airportGame, closedFormBanzhaf, closedFormShapley, quadraticGame, randomSoumGame, soumGame, votingGame,
} from '../src/core/games.js';
import { InputError } from '../src/core/errors.js';
import { shapley } from '../src/attribution/shapley.js';
import { relativeError, seededRandom } from './support/random.js';

function randomCosts(n: number, random: () => number): number[] {
  return Array.from({ length: n }, () => Math.round(100 * random()) / 10);
}

describe('built-in games: tabulated in Wasm, exact values equal their closed forms', () => {
  for (const n of [3, 8, 16, 24]) {
    it(`SOUM, n = ${n}`, async () => {
      const game = randomSoumGame(n, 40, 1, Math.min(n, 6), seededRandom(n));
      const table = await tabulate(game);
      expect(relativeError(await exactShapleyValues(table, n), closedFormShapley(game))).toBeLessThan(1e-9);
      expect(relativeError(await exactBanzhafValues(table, n), closedFormBanzhaf(game))).toBeLessThan(1e-9);
    });

    it(`airport, n = ${n} (with tied costs)`, async () => {
      const costs = randomCosts(n, seededRandom(100 + n));
      costs[0] = costs[n - 1];
      const game = airportGame(costs);
      const table = await tabulate(game);
      expect(relativeError(await exactShapleyValues(table, n), closedFormShapley(game))).toBeLessThan(1e-9);
      expect(relativeError(await exactBanzhafValues(table, n), closedFormBanzhaf(game))).toBeLessThan(1e-9);
    });
  }

  it('weighted voting: counting formula equals enumeration', async () => {
    const weights = [4, 3, 3, 2, 2, 1, 1, 1, 1, 1];
    const game = votingGame(weights, 10);
    const table = await tabulate(game);
    expect(relativeError(await exactShapleyValues(table, weights.length), closedFormShapley(game))).toBeLessThan(1e-9);
  });

  it('weighted voting: the UN Security Council gives each permanent member about 19.6%', () => {
    // 5 permanent members with veto (weight 7) and 10 others (weight 1), quota 39.
    const game = votingGame([7, 7, 7, 7, 7, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], 39);
    const phi = closedFormShapley(game);
    expect(phi[0]).toBeCloseTo(0.19627, 5);
    expect(phi[5]).toBeCloseTo(0.001865, 5);
  });

  it('quadratic: a_i plus half of each pairwise term', async () => {
    const random = seededRandom(5);
    const n = 7;
    const linear = Array.from({ length: n }, () => random() - 0.5);
    const pairwise = Array.from({ length: n * n }, () => random() - 0.5);
    const game = quadraticGame(linear, pairwise);
    const table = await tabulate(game);
    expect(relativeError(await exactShapleyValues(table, n), closedFormShapley(game))).toBeLessThan(1e-9);
    expect(relativeError(await exactBanzhafValues(table, n), closedFormBanzhaf(game))).toBeLessThan(1e-9);
  });

  it('SOUM: a single unanimity game splits its coefficient among its members', () => {
    const game = soumGame(4, [{ members: [1, 3], coefficient: 2 }]);
    expect(Array.from(closedFormShapley(game))).toEqual([0, 1, 0, 1]);
  });

  it('rejects bad parameters with the field and the value', () => {
    expect(() => soumGame(3, [{ members: [0, 5], coefficient: 1 }])).toThrow(/terms\[0\]\.members: .*\[0, 3\).*5/);
    expect(() => airportGame([1, Number.NaN])).toThrow(InputError);
    expect(() => airportGame([1, Number.NaN])).toThrow(/costs\[1\]: expected a finite number, got NaN/);
    // v(S) = the largest cost among S only while costs are >= 0: the kernel and closed form start from v(empty) = 0.
    expect(() => airportGame([-1, 3])).toThrow(/^costs\[0\]: expected a cost >= 0 \(a runway length\), got -1$/);
    expect(() => airportGame([2, 3, -0.5])).toThrow(InputError);
    expect(() => airportGame([1, Number.POSITIVE_INFINITY])).toThrow(/costs\[1\]: expected a finite number, got Infinity/);
    expect(Array.from(closedFormShapley(airportGame([-0, 2])))).toEqual([0, 2]);
    // A game made by hand with a negative cost is refused where games are checked, as one whose parameters do not fit.
    const forged = { ...airportGame([1, 3]), params: Float64Array.of(-1, 3) };
    expect(() => closedFormShapley(forged)).toThrow(InputError);
    expect(() => quadraticGame([1, 2], [0, 0, 0])).toThrow(/pairwise: expected 4 values/);
    expect(() => votingGame([1, 2], Number.POSITIVE_INFINITY)).toThrow(/quota/);
    expect(() => soumGame(65, [])).toThrow(/at most 64|between 1 and 64/);
  });

  it('closed forms refuse what is not a built-in game, where they returned undefined', () => {
    const table = { players: ['a', 'b'], values: [0, 1, 1, 3] };
    expect(() => closedFormShapley(table as never)).toThrow(/^closedFormShapley\(game\): expected a built-in game made by soumGame, quadraticGame, airportGame or votingGame, got a value table \(for its values use shapley\(game\) or banzhaf\(game\)\)$/);
    expect(() => closedFormBanzhaf(table as never)).toThrow(/^closedFormBanzhaf\(game\): expected a built-in game .*got a value table/);
    expect(() => closedFormShapley(null as never)).toThrow(/got null$/);
    expect(() => closedFormShapley({ ...airportGame([1, 2]), builtin: 'table' } as never)).toThrow(InputError);
    expect(() => closedFormShapley({ ...airportGame([1, 2]), params: Float64Array.of(1) })).toThrow(InputError);
  });

  it('randomSoumGame refuses counts, sizes and generators it would read as something else', () => {
    const random = seededRandom(1);
    // Before: 1.5 made 2 terms, NaN none, sizes out of order or past n a game of garbage or a misleading error.
    expect(() => randomSoumGame(3, 1.5, 1, 2, random)).toThrow(/^randomSoumGame: termCount: expected a number of terms, an integer >= 0, got 1\.5$/);
    expect(() => randomSoumGame(3, Number.NaN, 1, 2, random)).toThrow(/termCount: .*got NaN$/);
    expect(() => randomSoumGame(3, -1, 1, 2, random)).toThrow(/termCount: .*got -1$/);
    expect(() => randomSoumGame(3, 2, 0, 2, random)).toThrow(/^randomSoumGame: minSize: expected the smallest term size, an integer from 1 to n = 3, got 0$/);
    expect(() => randomSoumGame(3, 2, 3, 1, random)).toThrow(/^randomSoumGame: maxSize: expected the largest term size, an integer from minSize = 3 to n = 3, got 1$/);
    expect(() => randomSoumGame(3, 2, 1, 5, random)).toThrow(/maxSize: .*got 5$/);
    expect(() => randomSoumGame(3, 2, 1, 2, 5 as unknown as () => number)).toThrow(/^randomSoumGame: random: expected a generator of numbers in \[0, 1\)/);
    expect(() => randomSoumGame(3, 2, 1, 2, () => 7)).toThrow(/^randomSoumGame: random\(\) returned 7; expected a number in \[0, 1\)$/);
    expect(() => randomSoumGame(2.5, 2, 1, 2, random)).toThrow(/^randomSoumGame: expected between 1 and 64 players, got 2\.5$/);
    const game = randomSoumGame(3, 0, 1, 3, random);
    expect(game.params[0]).toBe(0);
    expect(randomSoumGame(5, 4, 2, 5, seededRandom(9))).toEqual(randomSoumGame(5, 4, 2, 5, seededRandom(9)));
  });
});

describe('voting closed form at scale', () => {
  it('large weights with a small quota stay cheap (counts stop at the quota) and equal exact values', async () => {
    const game = votingGame([3e8, 3e8, 3e8, 1], 3);
    const exact = await shapley(game, { method: 'exact' });
    Array.from(closedFormShapley(game)).forEach((v, i) => expect(v).toBeCloseTo(exact.values[i], 12));
  });

  it('a closed form too large to count is refused with the way out, not run for minutes', () => {
    expect(() => closedFormShapley(votingGame([3e8, 3e8, 3e8], 5e8))).toThrow(/votingGame: the closed form takes about n\^3 x min\(total weight, quota\) = .* steps .*use shapley\(game\) instead/);
  });
});
