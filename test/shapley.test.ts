import { describe, expect, it } from 'vitest';
import { banzhaf, interactions, shapley } from '../src/attribution/shapley.js';
import { closedFormShapley, randomSoumGame } from '../src/core/games.js';
import { InputError } from '../src/core/errors.js';
import { names, randomTable, relativeError, seededRandom } from './support/random.js';

const readme = { players: ['planner', 'coder', 'critic'], values: Float64Array.of(0, 0.2, 0.3, 0.7, 0.1, 0.4, 0.5, 1) };

describe('shapley(): the Shapley axioms hold as properties (seeded random games)', () => {
  const random = seededRandom(11);

  it('efficiency: values sum to v(N) - v(empty)', async () => {
    for (let n = 1; n <= 12; n++) {
      const values = randomTable(n, random);
      const { values: phi } = await shapley({ players: names(n), values }, { method: 'exact' });
      const sum = phi.reduce((a, b) => a + b, 0);
      expect(sum).toBeCloseTo(values[values.length - 1] - values[0], 10);
    }
  });

  it('symmetry: interchangeable players get equal values', async () => {
    for (let trial = 0; trial < 20; trial++) {
      const n = 3 + (trial % 8);
      const base = randomTable(n, random);
      // Make players 0 and 1 symmetric: v(S + 0) = v(S + 1) for S without both.
      const values = Float64Array.from(base);
      for (let mask = 0; mask < values.length; mask++) if ((mask & 3) === 2) values[mask] = values[mask ^ 3];
      const { values: phi } = await shapley({ players: names(n), values }, { method: 'exact' });
      expect(phi[0]).toBeCloseTo(phi[1], 10);
    }
  });

  it('null player: a player who never changes v gets zero', async () => {
    for (let trial = 0; trial < 20; trial++) {
      const n = 2 + (trial % 10);
      const null_ = trial % n;
      const values = randomTable(n, random);
      for (let mask = 0; mask < values.length; mask++) if (mask & (1 << null_)) values[mask] = values[mask ^ (1 << null_)];
      const exact = await shapley({ players: names(n), values }, { method: 'exact' });
      expect(Math.abs(exact.values[null_])).toBeLessThan(1e-12);
      // One evaluation short of 2^n, so permutation samples (from 4 players on; below, 2^n cannot buy two pairs).
      const sampled = await shapley({ players: names(n), values }, { method: 'permutation', budget: n >= 4 ? 2 ** n - 1 : 2 ** n });
      expect(sampled.stderr!.some((e) => e > 0)).toBe(n >= 4);
      expect(Math.abs(sampled.values[null_])).toBeLessThan(1e-12);
      const b = await banzhaf({ players: names(n), values });
      expect(Math.abs(b.values[null_])).toBeLessThan(1e-12);
    }
  });

  it('linearity: phi(a v + b w) = a phi(v) + b phi(w)', async () => {
    for (let n = 1; n <= 10; n++) {
      const v = randomTable(n, random);
      const w = randomTable(n, random);
      const [a, b] = [random() * 4 - 2, random() * 4 - 2];
      const mixed = v.map((x, k) => a * x + b * w[k]);
      const [pv, pw, pm] = await Promise.all([v, w, mixed].map((values) => shapley({ players: names(n), values }, { method: 'exact' })));
      const expected = pv.values.map((x, i) => a * x + b * pw.values[i]);
      expect(relativeError(pm.values, expected)).toBeLessThan(1e-9);
    }
  });
});

describe('shapley(): API', () => {
  it('returns the documented fields for the README example', async () => {
    const r = await shapley(readme, { method: 'exact' });
    expect(r.players).toEqual(readme.players);
    expect(r.method).toBe('exact');
    expect(r.stderr).toBeNull();
    expect(r.evaluations).toBe(8);
    expect(Array.from(r.values).map((x) => +x.toFixed(12))).toEqual([0.35, 0.45, 0.2]);
  });

  it('accepts plain number arrays', async () => {
    const r = await shapley({ players: ['a', 'b'], values: [0, 1, 1, 3] });
    expect(Array.from(r.values)).toEqual([1.5, 1.5]);
  });

  it("'auto' is exact for tables, and samples built-in games too large to tabulate", async () => {
    expect((await shapley(readme)).method).toBe('exact');
    const big = randomSoumGame(40, 30, 1, 5, seededRandom(1));
    const r = await shapley(big, { budget: 40_000 });
    expect(r.method).toBe('msr');
    expect(r.evaluations).toBe(40_000);
    const truth = closedFormShapley(big);
    for (let i = 0; i < 40; i++) expect(Math.abs(r.values[i] - truth[i])).toBeLessThan(5 * r.stderr![i] + 1e-12);
  });

  it('a one-player game is exact under every method', async () => {
    const game = { players: ['solo'], values: [0.25, 1] };
    for (const method of ['exact', 'permutation', 'auto'] as const) {
      expect((await shapley(game, { method })).values[0]).toBeCloseTo(0.75, 15);
    }
  });

  it('interactions: negative for redundant agents, positive for complements', async () => {
    // a and b are substitutes (either suffices), c complements a.
    const players = ['a', 'b', 'c'];
    const values = [0, 1, 1, 1, 0, 2, 1, 2];
    const { matrix } = await interactions({ players, values });
    expect(matrix[0 * 3 + 1]).toBeLessThan(0);
    expect(matrix[0 * 3 + 2]).toBeGreaterThan(0);
  });
});

describe('shapley(): bad input gets a clear error', () => {
  const cases: [string, unknown, unknown, RegExp][] = [
    ['length not a power of two', { players: ['a', 'b'], values: [0, 1, 2] }, {}, /values: expected 2\^2 = 4 values .* got 3, which is not a power of two/],
    ['length for another player count', { players: ['a', 'b'], values: [0, 1] }, {}, /expected 2\^2 = 4 values .* got 2 \(that is a table for 1 players\)/],
    ['NaN names its mask and members', { players: ['a', 'b'], values: [0, Number.NaN, 1, 2] }, {}, /values\[1\] \(mask 1 = \{a\}\): expected a finite number, got NaN/],
    ['Infinity', { players: ['a', 'b'], values: Float64Array.of(0, 1, Infinity, 2) }, {}, /values\[2\] \(mask 2 = \{b\}\): .* got Infinity/],
    ['null is not a number', { players: ['a'], values: [0, null] }, {}, /values\[1\].*got null/],
    ['duplicate names', { players: ['a', 'a'], values: [0, 1, 2, 3] }, {}, /players\[1\]: duplicate player name "a"/],
    ['empty name', { players: ['a', ''], values: [0, 1, 2, 3] }, {}, /players\[1\]: player names must be non-empty/],
    ['no players', { players: [], values: [0] }, {}, /players: expected at least one player/],
    ['budget zero', readme, { method: 'permutation', budget: 0 }, /budget: expected .* integer >= 1, got 0/],
    ['budget fractional', readme, { budget: 2.5 }, /budget: .* got 2.5/],
    ['budget too small for two pairs', readme, { method: 'permutation', budget: 5 }, /at least 10 evaluations/],
    ['unknown method', readme, { method: 'magic' }, /method: expected one of .*exact.*permutation.*auto.*got "magic"/],
    ['negative seed', readme, { method: 'permutation', seed: -1 }, /seed: expected .* >= 0, got -1/],
    ['not a game', { players: ['a'] }, {}, /expected \{ players, values \}/],
  ];
  for (const [name, game, options, message] of cases) {
    it(name, async () => {
      const call = shapley(game as never, options as never);
      await expect(call).rejects.toBeInstanceOf(InputError);
      await expect(shapley(game as never, options as never)).rejects.toThrow(message);
    });
  }

  it('too many players for exact says which method fits', async () => {
    const big = randomSoumGame(30, 5, 1, 3, seededRandom(2));
    await expect(shapley(big, { method: 'exact' })).rejects.toThrow(/at most 26 players .*use shapley\(\) with method 'permutation'/);
    await expect(banzhaf(big)).rejects.toThrow(/at most 26 players/);
  });

  it('a table streamed chunk by chunk (n = 21) names its first bad entry, even when it is not in the first chunk', async () => {
    const players = names(21);
    const values = randomTable(21, seededRandom(21));
    values[2 ** 20 + 5] = Number.NaN;
    values[2 ** 21 - 1] = Infinity;
    const firstBad = /^values\[1048581\] \(mask 1048581 = \{agent0, agent2, agent20\}\): expected a finite number, got NaN$/;
    await expect(shapley({ players, values })).rejects.toThrow(firstBad);
    await expect(banzhaf({ players, values })).rejects.toThrow(firstBad);
    values[2 ** 20 + 5] = 0;
    await expect(shapley({ players, values })).rejects.toThrow(/^values\[2097151\] .*got Infinity$/);
  });

  it('a streamed table (n = 21) whose finite values make the sums overflow is an InputError', async () => {
    const players = names(21);
    const values = Float64Array.from({ length: 2 ** 21 }, (_, mask) => (mask % 2 ? 1.7e308 : -1.7e308));
    await expect(shapley({ players, values })).rejects.toThrow(InputError);
    await expect(shapley({ players, values })).rejects.toThrow(/sums overflow float64/);
    await expect(banzhaf({ players, values })).rejects.toThrow(/sums overflow float64/);
  });
});
