// Exact Shapley values for many small games at once (dataset work).
import { InputError } from '../core/errors.js';
import { exactShapleyBatch } from '../core/exact.js';
import { finiteSums } from './shapley.js';
import { EXACT_MAX_PLAYERS } from '../core/table.js';
import { describe } from '../core/validate.js';
import { MAX_BLOCK_BYTES } from '../core/wasm/window.js';
import { liveValues, wasmTableOf } from '../core/wasm-table.js';

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
  // Not in the signature, but a JavaScript caller can pass one (or map() an index in): refused, never ignored.
  if (arguments.length > 1) refuseOptions(arguments[1]);
  if (!Array.isArray(tables)) throw new InputError(`tables: expected an array of value tables, got ${describe(tables)}`);
  // A plain loop: map() would skip the holes of a sparse array and hand them on as tables.
  const checked: Float64Array[] = [];
  for (let k = 0; k < tables.length; k++) {
    const given: unknown = tables[k];
    if (!(given instanceof Float64Array) && !Array.isArray(given)) {
      const what = k in tables ? describe(given) : 'a hole (the array is sparse)';
      throw new InputError(`tables[${k}]: expected a Float64Array or an array of numbers, got ${what}`);
    }
    // A table from createTable is read where it is now (a detached view reads
    // as empty) and copied out: packing the batch may grow the Wasm memory
    // and detach it mid-call. Freed tables and partial views are refused.
    const record = wasmTableOf(given, `tables[${k}]`);
    const table = record ? liveValues(record).slice() : given;
    const n = Math.log2(table.length);
    if (!Number.isInteger(n) || n < 1 || n > EXACT_MAX_PLAYERS) {
      throw new InputError(`tables[${k}]: expected 2^n values for 1 <= n <= ${EXACT_MAX_PLAYERS} players, got ${table.length}`);
    }
    for (let mask = 0; mask < table.length; mask++) {
      const value: unknown = table[mask];
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw new InputError(`tables[${k}][${mask}]: expected a finite number, got ${describe(value)}`);
      }
    }
    checked.push(table instanceof Float64Array ? table : Float64Array.from(table as number[]));
  }
  const results: Float64Array[] = [];
  for (const group of groupsThatFit(checked)) results.push(...(await exactShapleyBatch(group)));
  results.forEach((values, k) => finiteSums(values, `tables[${k}]`));
  return results;
}

/** shapleyBatch takes no options: its values are exact, the only method. Null and undefined are no options, as elsewhere. */
function refuseOptions(options: unknown): void {
  if (options === undefined || options === null) return;
  throw new InputError(
    `options: shapleyBatch(tables) takes no options (its values are always exact), got ${describe(options)}; ` +
      'for a method, budget or seed, call shapley() on each table',
  );
}

/** Values one Wasm call takes: the packed tables are one allocation block. */
const VALUES_PER_CALL = Math.floor(MAX_BLOCK_BYTES / 8);

/** Consecutive runs of tables whose values fit one Wasm call (a table holds at most 2^26 values, so each fits alone). */
function groupsThatFit(tables: Float64Array[]): Float64Array[][] {
  const groups: Float64Array[][] = [];
  let group: Float64Array[] = [];
  let values = 0;
  for (const table of tables) {
    if (group.length > 0 && values + table.length > VALUES_PER_CALL) {
      groups.push(group);
      group = [];
      values = 0;
    }
    group.push(table);
    values += table.length;
  }
  if (group.length > 0) groups.push(group);
  return groups;
}
