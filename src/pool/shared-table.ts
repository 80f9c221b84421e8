// createSharedTable: value tables in shared Wasm memory, which a pool's
// workers read in place (see shared-memory.ts for how the memory is laid
// out and handed out). This module's declarations name no WebAssembly types,
// so apps type-checked without the DOM lib can import it.
import { InputError } from '../core/errors.js';
import { describe } from '../core/validate.js';
import { newSharedTable } from './shared-memory.js';
import { EXACT_MAX_PLAYERS } from '../core/table.js';

/**
 * Whether this platform can give workers one Wasm memory: Node, and browsers
 * whose page is cross-origin isolated (COOP and COEP headers); elsewhere a
 * shared memory cannot be posted to a worker.
 */
export function canShareWasmMemory(): boolean {
  if (typeof SharedArrayBuffer !== 'function') return false;
  return (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated !== false;
}

/**
 * A zeroed value table for n players (2^n entries, `table[mask]` = v(mask)),
 * to fill and pass as `values` with a pool: `shapley({ players, values: table }, { pool })`.
 * Where the platform allows (see canShareWasmMemory) the table lives in shared
 * Wasm memory, and the pool's workers compute exact values on it in place,
 * without copying it; elsewhere it is an ordinary Float64Array, which works
 * the same, copied to the workers. Without a pool it is an ordinary table.
 *
 * @example
 * const table = createSharedTable(24);
 * for (let mask = 0; mask < table.length; mask++) table[mask] = score(mask);
 * const { values } = await shapley({ players, values: table }, { pool, method: 'exact' });
 */
export function createSharedTable(n: number): Float64Array {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > EXACT_MAX_PLAYERS) {
    throw new InputError(`createSharedTable(n): expected a number of players, an integer from 1 to ${EXACT_MAX_PLAYERS} (exact tables), got ${describe(n)}`);
  }
  return canShareWasmMemory() ? newSharedTable(n) : new Float64Array(2 ** n);
}

