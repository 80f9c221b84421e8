import { describe, expect, it } from 'vitest';
import { exactCreditBatch } from '../src/episodes/credit.js';
import { interactions, shapley } from '../src/attribution/shapley.js';
import { names, randomTable, seededRandom } from './support/random.js';

describe('exactCreditBatch', () => {
  it('equals shapley() and interactions() table by table, for mixed sizes in one call', async () => {
    const random = seededRandom(21);
    const tables = Array.from({ length: 60 }, (_, k) => randomTable(1 + (k % 9), random));
    const credits = await exactCreditBatch(tables);
    for (let k = 0; k < tables.length; k++) {
      const n = Math.log2(tables[k].length);
      const game = { players: names(n), values: tables[k] };
      const values = (await shapley(game)).values;
      const matrix = (await interactions(game)).matrix;
      credits[k].values.forEach((value, i) => expect(value).toBeCloseTo(values[i], 12));
      credits[k].interactions!.forEach((value, i) => expect(value).toBeCloseTo(matrix[i], 12));
      expect(credits[k].stderr).toBeNull();
    }
    expect(await exactCreditBatch([])).toEqual([]);
  });
});
