import { describe, expect, it } from 'vitest';
import { shapleyBatch } from '../src/attribution/batch.js';
import { InputError } from '../src/core/errors.js';
import { createTable } from '../src/core/wasm-table.js';
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

  it('takes no options: one given is an InputError, never ignored; undefined and null are none', async () => {
    const batch = shapleyBatch as (...args: unknown[]) => Promise<Float64Array[]>;
    const noOptions = /^options: shapleyBatch\(tables\) takes no options \(its values are always exact\), got (object|1); for a method, budget or seed, call shapley\(\) on each table$/;
    await expect(batch([[0, 1]], { method: 'permutation', bogus: 1 })).rejects.toThrow(noOptions);
    await expect(batch([[0, 1]], {})).rejects.toBeInstanceOf(InputError);
    // tables.map(shapleyBatch) would hand each index in as options.
    await expect(batch([[0, 1]], 1)).rejects.toThrow(noOptions);
    for (const none of [undefined, null]) expect(Array.from((await batch([[0, 1]], none))[0])).toEqual([1]);
  });

  it('reads tables from createTable like shapley does: detached ones right, freed ones and partial views refused', async () => {
    const table = await createTable(3);
    table.set([0, 1, 2, 3, 4, 5, 6, 7]);
    const copy = Float64Array.from(table);
    const expected = textbookShapley(copy, 3);
    // Packing 2^22 more values than createTable left free grows the memory mid-call: before, a TypeError on a detached buffer.
    const filler = Array.from({ length: 70 }, (_, k) => randomTable(16, seededRandom(k)));
    const results = await shapleyBatch([...filler, table]);
    expect(relativeError(results[70]!, expected)).toBeLessThan(1e-12);
    expect(table.length).toBe(0);
    // Now detached (length 0), its values are still read, not refused as 0 values.
    expect(relativeError((await shapleyBatch([table]))[0]!, expected)).toBeLessThan(1e-12);
    const part = table.view().subarray(0, 4);
    await expect(shapleyBatch([[0, 1], part])).rejects.toThrow(/^tables\[1\]: a Float64Array over the library's Wasm memory that is not a table from createTable/);
    table.free();
    // A freed table's memory may already hold another's values.
    await expect(shapleyBatch([table])).rejects.toThrow(/^tables\[0\]: this table was freed/);
  });
});
