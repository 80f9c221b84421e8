// Exact Shapley values for many small games at once (dataset work).
import { InputError } from '../core/errors.js';
import { exactShapleyBatch } from '../core/exact.js';
import { finiteSums } from './shapley.js';
import { EXACT_MAX_PLAYERS } from '../core/table.js';

/**
 * Exact Shapley values of many small value tables in one Wasm call, so that
 * per-call overhead does not dominate when attributing thousands of episodes.
 * `tables[k]` holds 2^n_k values (bit i of the index = player i).
 *
 * @example
 * const [first, second] = await shapleyBatch([[0, 1], [0, 1, 1, 3]]);
 * // first = Float64Array [1], second = Float64Array [1.5, 1.5]
 */
export async function shapleyBatch(tables: ReadonlyArray<Float64Array | number[]>): Promise<Float64Array[]> {
  if (!Array.isArray(tables)) throw new InputError('tables: expected an array of value tables');
  const checked = tables.map((table, k) => {
    if (!(table instanceof Float64Array) && !Array.isArray(table)) {
      throw new InputError(`tables[${k}]: expected a Float64Array or an array of numbers`);
    }
    const n = Math.log2(table.length);
    if (!Number.isInteger(n) || n < 1 || n > EXACT_MAX_PLAYERS) {
      throw new InputError(`tables[${k}]: expected 2^n values for 1 <= n <= ${EXACT_MAX_PLAYERS} players, got ${table.length}`);
    }
    for (let mask = 0; mask < table.length; mask++) {
      const value: unknown = table[mask];
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw new InputError(`tables[${k}][${mask}]: expected a finite number, got ${String(value)}`);
      }
    }
    return table instanceof Float64Array ? table : Float64Array.from(table);
  });
  const results = await exactShapleyBatch(checked);
  results.forEach((values, k) => finiteSums(values, `tables[${k}]`));
  return results;
}
