// Pairwise interactions in one streaming pass, against the derivative-game
// method they replace (one Shapley pass per player) and the textbook sum.
import { describe, expect, it } from 'vitest';
import { exactInteractionMatrix } from '../src/core/exact.js';
import { airportGame, quadraticGame, randomSoumGame, votingGame } from '../src/core/games.js';
import { tabulate } from '../src/core/exact.js';
import { interactions } from '../src/attribution/shapley.js';
import { textbookInteractions, textbookShapley } from './support/textbook.js';
import { names, randomTable, relativeError, seededRandom } from './support/random.js';

/** Row i is the Shapley value, over the other players, of d_i(S) = v(S + i) - v(S): the method the one pass replaced. */
function derivativeInteractions(table: Float64Array, n: number): Float64Array {
  const matrix = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const derivative = new Float64Array(2 ** (n - 1));
    const low = (1 << i) - 1;
    for (let m = 0; m < derivative.length; m++) {
      const s = ((m & ~low) << 1) | (m & low);
      derivative[m] = table[s | (1 << i)] - table[s];
    }
    const row = textbookShapley(derivative, n - 1);
    for (let jj = 0; jj < n - 1; jj++) matrix[i * n + (jj < i ? jj : jj + 1)] = row[jj];
  }
  return matrix;
}

/** The textbook sum over S without i and j of w(|S|) (the pair's discrete derivative), with Neumaier-compensated sums. */
function compensatedInteractions(table: Float64Array, n: number): Float64Array {
  const weight: number[] = [];
  for (let s = 0; s <= n - 2; s++) {
    let binomial = 1;
    for (let k = 1; k <= s; k++) binomial = (binomial * (n - 2 - s + k)) / k;
    weight.push(1 / ((n - 1) * binomial));
  }
  const size = new Uint8Array(table.length);
  for (let m = 1; m < table.length; m++) size[m] = size[m >> 1] + (m & 1);
  const matrix = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const both = (1 << i) | (1 << j);
      let sum = 0;
      let carry = 0;
      for (let m = 0; m < table.length; m++) {
        if (m & both) continue;
        const term = weight[size[m]] * (table[m | both] - table[m | (1 << i)] - (table[m | (1 << j)] - table[m]));
        const next = sum + term;
        carry += Math.abs(sum) >= Math.abs(term) ? sum - next + term : term - next + sum;
        sum = next;
      }
      matrix[i * n + j] = matrix[j * n + i] = sum + carry;
    }
  }
  return matrix;
}

function testGames(): { name: string; n: number; table: () => Promise<Float64Array> }[] {
  const random = seededRandom(17);
  const games: { name: string; n: number; table: () => Promise<Float64Array> }[] = [];
  for (let n = 2; n <= 13; n++) {
    const table = randomTable(n, random);
    games.push({ name: `random table, n = ${n}`, n, table: async () => table });
  }
  const soum = randomSoumGame(12, 20, 1, 4, seededRandom(3));
  games.push({ name: 'SOUM, n = 12', n: 12, table: () => tabulate(soum) });
  const airport = airportGame([1, 2, 2, 3, 5, 8, 13, 21, 34, 55]);
  games.push({ name: 'airport, n = 10', n: 10, table: () => tabulate(airport) });
  const voting = votingGame([4, 3, 3, 2, 2, 1, 1, 1, 1], 10);
  games.push({ name: 'voting, n = 9', n: 9, table: () => tabulate(voting) });
  const pairs = Array.from({ length: 11 * 11 }, (_, k) => ((k * 7) % 13) - 6);
  const quadratic = quadraticGame(Array.from({ length: 11 }, (_, i) => i - 5), pairs);
  games.push({ name: 'quadratic, n = 11', n: 11, table: () => tabulate(quadratic) });
  return games;
}

describe('interactions in one pass', () => {
  for (const game of testGames()) {
    it(`equal the derivative-game method to 1e-12 on ${game.name}${game.n <= 10 ? ', and the textbook sum' : ''}`, async () => {
      const table = await game.table();
      const matrix = await exactInteractionMatrix(table, game.n);
      expect(relativeError(matrix, derivativeInteractions(table, game.n))).toBeLessThan(1e-12);
      if (game.n <= 10) expect(relativeError(matrix, textbookInteractions(table, game.n))).toBeLessThan(1e-12);
    });
  }

  // Up to 10 levels of the tree that sums block records (n - 8 of them).
  for (const n of [16, 18]) {
    it(`equal the textbook sum, compensated, to 1e-12 at n = ${n}`, async () => {
      const table = randomTable(n, seededRandom(n));
      const matrix = await exactInteractionMatrix(table, n);
      expect(relativeError(matrix, compensatedInteractions(table, n))).toBeLessThan(1e-12);
    });
  }

  it('keep a small interaction beside large additive parts, at every n from 3 to 10 (with and without blocks)', async () => {
    // Every entry is exact in a double (integers near 1e10 plus 2^-10), so the only error is the pass's own.
    for (let n = 3; n <= 10; n++) {
      const table = new Float64Array(2 ** n);
      for (let mask = 0; mask < table.length; mask++) {
        let v = 3e9;
        for (let i = 0; i < n; i++) if (mask & (1 << i)) v += 1e9 * (i + 1) + 7 * i;
        table[mask] = (mask & 3) === 3 ? v + 2 ** -10 : v;
      }
      const matrix = await exactInteractionMatrix(table, n);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) expect(Math.abs(matrix[i * n + j] - (i + j === 1 ? 2 ** -10 : 0)), `n = ${n}, pair (${i}, ${j})`).toBeLessThan(1e-15);
      }
    }
  });

  it('give a symmetric matrix with a zero diagonal through the API, for one player too', async () => {
    const n = 11;
    const { matrix } = await interactions({ players: names(n), values: randomTable(n, seededRandom(4)) });
    for (let i = 0; i < n; i++) {
      expect(matrix[i * n + i]).toBe(0);
      for (let j = 0; j < n; j++) expect(matrix[i * n + j]).toBe(matrix[j * n + i]);
    }
    expect(Array.from((await interactions({ players: ['a'], values: [0, 1] })).matrix)).toEqual([0]);
  });
});
