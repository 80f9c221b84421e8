import { describe, expect, it } from 'vitest';
import { shapleyBatch } from '../src/attribution/batch.js';
import { InputError } from '../src/core/errors.js';
import { textbookShapley } from './support/textbook.js';
import { randomTable, relativeError, seededRandom } from './support/random.js';

describe('shapleyBatch', () => {
  it('equals one exact call per table, for mixed sizes (4-8 agents)', async () => {
    const random = seededRandom(8);
    const tables = Array.from({ length: 500 }, (_, k) => randomTable(4 + (k % 5), random));
    const results = await shapleyBatch(tables);
    results.forEach((phi, k) => expect(relativeError(phi, textbookShapley(tables[k], 4 + (k % 5)))).toBeLessThan(1e-9));
  });

  it('accepts plain arrays and the README example', async () => {
    const [first, second] = await shapleyBatch([[0, 1], [0, 1, 1, 3]]);
    expect(Array.from(first)).toEqual([1]);
    expect(Array.from(second)).toEqual([1.5, 1.5]);
  });

  it('names the table and entry at fault', async () => {
    await expect(shapleyBatch([[0, 1], [0, 1, 2]])).rejects.toThrow(/tables\[1\]: expected 2\^n values .* got 3/);
    await expect(shapleyBatch([[0, 1, 2, Number.NaN]])).rejects.toThrow(/tables\[0\]\[3\]: expected a finite number, got NaN/);
    await expect(shapleyBatch([[0, 1, 2, Number.NaN]])).rejects.toBeInstanceOf(InputError);
  });
});
