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
