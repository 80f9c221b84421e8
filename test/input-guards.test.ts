// Inputs that used to slip through: built-in games whose players or
// parameters do not fit, sums that overflow on every path, Owen values of
// evaluator games beyond 64 players or over budget, null options.
import { describe, expect, it } from 'vitest';
import { InputError } from '../src/core/errors.js';
import { checkKnownOptions } from '../src/core/validate.js';
import { airportGame, quadraticGame, soumGame, votingGame } from '../src/core/games.js';
import { owen } from '../src/attribution/owen.js';
import { autoMethod, banzhaf, interactions, shapley } from '../src/attribution/shapley.js';
import { shapleyBatch } from '../src/attribution/batch.js';
import { attributeEpisode, attributeEpisodes } from '../src/episodes/attribute.js';
import { SAMPLED_MAX_BUDGET } from '../src/estimators/wasm-estimators.js';
import { checkTableGame } from '../src/core/table.js';
import { tableGameSchema } from '../src/core/schemas.js';
import { parseOrThrow } from '../src/core/validate.js';
import { names } from './support/random.js';

describe('input guards', () => {
  it('built-in games need one name per player', () => {
    expect(() => votingGame([1, 1], 1, ['a', 'b', 'c'])).toThrow(/players: expected 2 names, one per player of the game, got 3/);
    expect(() => airportGame([1, 2, 3], ['a', 'b'])).toThrow(InputError);
    expect(() => soumGame(3, [], ['x', 'y'])).toThrow(/expected 3 names/);
    expect(() => quadraticGame([1, 2], [0, 0, 0, 0], ['a'])).toThrow(/expected 2 names/);
    expect(() => soumGame(3, [{ coefficient: 1 } as never])).toThrow(/terms\[0\]: expected \{ members: number\[\], coefficient: number \}/);
  });

  it('a built-in game made by hand is refused unless its parameters fit its players', async () => {
    const forged = [
      { players: ['a', 'b', 'c'], builtin: 'table', params: new Float64Array(2) },
      { players: ['a', 'b', 'c'], builtin: 'toString', params: new Float64Array(3) },
      { players: ['a', 'b', 'c'], builtin: 'airport', params: new Float64Array(0) },
      { players: ['a', 'b'], builtin: 'soum', params: Float64Array.of(1e9) },
      { ...soumGame(3, [{ members: [0, 1], coefficient: 1 }]), players: ['a', 'b', 'c', 'd'] },
      // The kernel would read a negative cost as 0, another game than v(S) = the largest cost among S.
      { ...airportGame([1, 3]), params: Float64Array.of(-1, 3) },
    ];
    for (const game of forged) {
      await expect(shapley(game as never, { method: 'exact' })).rejects.toThrow(/game: expected a built-in game made by soumGame/);
      await expect(shapley(game as never, { method: 'permutation', budget: 100 })).rejects.toThrow(InputError);
    }
    const real = soumGame(3, [{ members: [0, 1], coefficient: 1 }, { members: [2], coefficient: 2 }]);
    expect(Array.from((await shapley(real)).values)).toEqual([0.5, 0.5, 2]);
  });

  it('sums that overflow are an InputError on every path, never NaN or infinities as credit', async () => {
    const huge = { players: names(3), values: Array.from({ length: 8 }, (_, mask) => (mask % 2 ? 1.7e308 : -1.7e308)) };
    const overflow = /sums overflow float64/;
    await expect(interactions(huge)).rejects.toThrow(overflow);
    await expect(shapleyBatch([huge.values])).rejects.toThrow(/tables\[0\]: the sums overflow float64/);
    await expect(owen(huge, { groups: [['agent0', 'agent1'], ['agent2']], method: 'exact' })).rejects.toThrow(overflow);
    for (const method of ['permutation', 'msr', 'svarm', 'kernel'] as const) {
      await expect(shapley(huge, { method, budget: 7 }).catch((e: Error) => e)).resolves.toSatisfy(
        (outcome) => outcome instanceof InputError || (outcome as { values: Float64Array }).values.every(Number.isFinite),
      );
    }
    await expect(banzhaf(huge)).rejects.toThrow(overflow);
  });

  it('owen on an evaluator game: more than 64 players work; exact refuses a budget below 2^n', async () => {
    const players = names(70);
    const groups = [players.slice(0, 35), players.slice(35)];
    const r = await owen({ players, evaluate: (coalition: string[]) => coalition.length }, { groups, budget: 2_000, seed: 1 });
    r.values.forEach((v) => expect(v).toBeCloseTo(1, 12));
    let calls = 0;
    const evaluate = (coalition: string[]) => (calls++, coalition.length);
    await expect(owen({ players: names(5), evaluate }, { groups: [names(5)], method: 'exact', budget: 10 })).rejects.toThrow(
      /options\.budget: method 'exact' needs 32 more evaluate calls \(2\^5 coalitions, 0 cached\), got a budget of 10\. Raise the budget or use method 'permutation'\./,
    );
    expect(calls).toBe(0);
  });

  it('a table game skips the schema only when the schema would accept it, and its players are copied either way', () => {
    const values = new Float64Array(4);
    const sparse = ['a'];
    sparse[2] = 'c';
    const games: unknown[] = [
      { players: ['a', 'b'], values },
      { players: ['a', 'a'], values },
      { players: ['a', ''], values },
      { players: ['a', 7], values },
      { players: sparse, values: new Float64Array(8) },
      { players: [], values: new Float64Array(1) },
      { players: 'ab', values },
      { players: ['a', 'b'], values: new Int32Array(4) },
      { players: ['a', 'b'], values: [0, 1, 1, 3] },
      Object.assign(Object.create({ players: ['a', 'b'] }), { values }),
      null,
      values,
    ];
    for (const game of games) {
      let expected: unknown;
      try {
        expected = parseOrThrow(tableGameSchema, game, 'game');
      } catch (error) {
        expect(() => checkTableGame(game), JSON.stringify(game)).toThrow((error as Error).message);
        continue;
      }
      const checked = checkTableGame(game);
      const parsed = expected as { players: string[] };
      expect(checked.players).toEqual(parsed.players);
      expect(checked.players).not.toBe((game as { players: string[] }).players);
    }
  });

  it('options with nothing in them are the defaults; an inherited option is still read and checked', async () => {
    const game = { players: ['a', 'b'], values: new Float64Array([0, 1, 1, 3]) };
    expect(Array.from((await shapley(game, {})).values)).toEqual([1.5, 1.5]);
    await expect(shapley(game, Object.create({ method: 'exact!' }))).rejects.toThrow(/method: expected one of/);
    // The inherited method and budget are both read: permutation sampling refuses a budget of 3.
    await expect(shapley(game, Object.create({ method: 'permutation', budget: 3 }))).rejects.toThrow(/permutation sampling of 2 players needs at least 6 evaluations/);
  });

  it('null options are no options', async () => {
    const r = await shapley({ players: ['a', 'b'], values: [0, 1, 1, 3] }, null as never);
    expect(Array.from(r.values)).toEqual([1.5, 1.5]);
  });

  it("auto picks permutation for budgets beyond msr's cap", () => {
    expect(autoMethod(40, SAMPLED_MAX_BUDGET, false)).toBe('msr');
    expect(autoMethod(40, SAMPLED_MAX_BUDGET + 1, false)).toBe('permutation');
  });

  it('a misspelled option is an InputError naming it and the nearest known name, never a run with defaults', async () => {
    const game = { players: ['a', 'b'], values: [0, 1, 1, 3] };
    await expect(shapley(game, { budgte: 5 } as never)).rejects.toThrow(/options\.budgte: unknown option \(did you mean budget\?\); expected one of method, budget, seed, pool/);
    await expect(banzhaf(game, { pol: 1 } as never)).rejects.toThrow(/options\.pol: unknown option \(did you mean pool\?\)/);
    await expect(shapley({ players: ['a'], evaluate: () => 1 }, { tolerence: 0.1 } as never)).rejects.toThrow(/options\.tolerence: unknown option \(did you mean tolerance\?\)/);
    await expect(owen(game, { groups: [['a'], ['b']], budgett: 3 } as never)).rejects.toThrow(/options\.budgett: unknown option \(did you mean budget\?\)/);
    await expect(shapley(game, { frobnicate: true } as never)).rejects.toThrow(/options\.frobnicate: unknown option; expected one of/);
    await expect(attributeEpisode({}, { bund: 2 } as never)).rejects.toThrow(/options\.bund: unknown option \(did you mean bound\?\)/);
    await expect(attributeEpisodes([], { stratgy: 'label' } as never)).rejects.toThrow(/options\.stratgy: unknown option \(did you mean strategy\?\)/);
  });

  it('the suggestion is the nearest known name, not the first within 2 edits; each known name is listed once', async () => {
    // "judge" comes first in attributeEpisode's list and is 2 edits from "budgte"; "budget" is 1.
    const error = await attributeEpisode({}, { budgte: 3 } as never).catch((caught: Error) => caught);
    expect(error.message).toMatch(/options\.budgte: unknown option \(did you mean budget\?\)/);
    const listed = /expected one of (.*)$/.exec(error.message)![1].split(', ');
    expect(listed).toEqual([...new Set(listed)]);
    expect(listed).toEqual(expect.arrayContaining(['budget', 'seed', 'concurrency', 'signal', 'judge', 'evaluate']));
    // Equally near names: the first in the list.
    expect(() => checkKnownOptions({ xool: 1 }, ['pool', 'bool'])).toThrow(/did you mean pool\?/);
    expect(() => checkKnownOptions({ xool: 1 }, ['bool', 'pool'])).toThrow(/did you mean bool\?/);
  });

  it('bad values name the field, the value given and what was expected, never a TypeError or a bare "Invalid input"', async () => {
    const table = { players: ['a'], values: [0, 1] };
    await expect(shapley({ players: ['a'], values: [0n, 1n] } as never)).rejects.toThrow(/values\[0\] \(mask 0 = \{\}\): expected a finite number, got the BigInt 0n/);
    await expect(shapley({ players: [1, 2], values: [0, 1, 1, 2] } as never)).rejects.toThrow(/players\[0\]: expected a string, got 1/);
    for (const [options, given] of [[5, '5'], ['x', '"x"'], [[], 'an array of 0'], [['budget'], 'an array of 1']] as const) {
      const expected = new RegExp(`^options: expected an object of options \\(method, budget, seed, pool\\), got ${given.replace(/[[\]]/g, '\\$&')}$`);
      await expect(shapley(table, options as never)).rejects.toThrow(expected);
    }
    await expect(shapley({ players: ['a'], evaluate: () => 1 }, 7 as never)).rejects.toThrow(/^options: expected an object of options \(method, budget/);
    expect(() => soumGame(3, 'x' as never)).toThrow(/^terms: expected an array of \{ members: number\[\], coefficient: number \}, got "x"$/);
    expect(() => airportGame('123' as never)).toThrow(/^costs: expected an array of numbers, got "123"$/);
    expect(() => quadraticGame([1, 2], 4 as never)).toThrow(/^pairwise: expected an array of numbers, got 4$/);
    expect(() => votingGame([1, 1n] as never, 1)).toThrow(/weights\[1\]: expected a finite number, got the BigInt 1n/);
  });

  it('banzhaf() and interactions() refuse an evaluator game saying what they take and what to do instead', async () => {
    const evaluatorGame = { players: ['a', 'b'], evaluate: (coalition: string[]) => coalition.length };
    for (const [name, call] of [['banzhaf', banzhaf], ['interactions', interactions]] as const) {
      const error = await call(evaluatorGame as never).catch((e) => e);
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toMatch(new RegExp(`^game: evaluate: ${name}\\(\\) takes a value table \\{ players, values \\} or a built-in game, not an evaluate function`));
      expect(error.message).toMatch(/tabulate v\(S\) for every coalition into values, or use shapley\(\) or owen\(\), which take \{ players, evaluate \}/);
      // With a table beside it too: the evaluate function is still not taken, never run on the table alone.
      await expect(call({ ...evaluatorGame, values: [0, 1, 1, 2] } as never)).rejects.toThrow(new RegExp(`^game: evaluate: ${name}\\(\\) takes`));
    }
  });

  it('a misspelled evaluate is named as values is, by the functions that take evaluator games', async () => {
    const misspelled = { players: ['a', 'b'], evalute: () => 1 };
    const hint = /^game: expected \{ players, values \} \(a value table\), \{ players, evaluate \} or a built-in game, got object \(it has "evalute": did you mean "evaluate"\?\)$/;
    await expect(shapley(misspelled as never)).rejects.toThrow(hint);
    await expect(owen(misspelled as never, { groups: [['a', 'b']] })).rejects.toThrow(hint);
    await expect(shapley({ players: ['a'], vals: [0, 1] } as never)).rejects.toThrow(/\(it has "vals": did you mean "values"\?\)$/);
    // banzhaf() takes no evaluator game, so it points at values only.
    await expect(banzhaf(misspelled as never)).rejects.toThrow(/^game: expected \{ players, values \} \(a value table\) or a built-in game, got object$/);
  });

  it('a built-in game with a table beside it is an InputError, never a run that ignores the table', async () => {
    const game = { ...soumGame(2, [{ members: [0, 1], coefficient: 1 }]), values: [0, 5, 0, 5] };
    const twoSources = /^game: values: a game holds either builtin \(a built-in game\) or values \(a value table\), not both/;
    await expect(shapley(game as never)).rejects.toThrow(twoSources);
    await expect(shapley(game as never, { method: 'permutation', budget: 2 })).rejects.toThrow(twoSources);
    await expect(banzhaf(game as never)).rejects.toThrow(twoSources);
    await expect(interactions(game as never)).rejects.toThrow(twoSources);
    await expect(owen(game as never, { groups: [['p0', 'p1']] })).rejects.toThrow(twoSources);
    // An evaluate function beside either is refused too, by the evaluator game's own check.
    await expect(shapley({ ...soumGame(2, []), evaluate: () => 1 } as never)).rejects.toThrow(/^game: builtin: a game holds either evaluate or builtin/);
  });

  it('shapleyBatch: a hole in a sparse array is named; batches beyond one Wasm block (1 GiB) are split, not refused', async () => {
    // eslint-disable-next-line no-sparse-arrays
    await expect(shapleyBatch([[0, 1], , [0, 1]] as never)).rejects.toThrow(/^tables\[1\]: expected a Float64Array or an array of numbers, got a hole \(the array is sparse\)$/);
    await expect(shapleyBatch('x' as never)).rejects.toThrow(/^tables: expected an array of value tables, got "x"$/);
    // 129 tables of 2^20 values: 1,032 MiB packed, more than one Wasm block holds. The same table object keeps the test's own memory small.
    const n = 20;
    const table = new Float64Array(2 ** n);
    for (let mask = 0; mask < table.length; mask++) table[mask] = (mask & 1) * 3 + popcount(mask >>> 1);
    const results = await shapleyBatch(Array.from({ length: 129 }, () => table));
    expect(results).toHaveLength(129);
    for (const values of [results[0], results[128]]) {
      expect(values[0]).toBeCloseTo(3 + 0, 9);
      for (let i = 1; i < n; i++) expect(values[i]).toBeCloseTo(1, 9);
    }
  });
});

function popcount(mask: number): number {
  let count = 0;
  for (let m = mask; m !== 0; m &= m - 1) count++;
  return count;
}
