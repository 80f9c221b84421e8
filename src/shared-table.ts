// Value tables in shared Wasm memory. A pool's workers run the exact pass on
// such a table where it lies, each on its own range of chunks: nothing is
// copied, so two cores share the pass instead of the copying. Each call also
// needs scratch space for its weight vectors and partial sums; the memory
// keeps SCRATCH_SLOTS pages for that in front of the table, handed out per
// call by the thread that owns the table.
import { InputError } from './errors.js';
import { EXACT_MAX_PLAYERS } from './table.js';

const PAGE_BYTES = 65536;
/** One page per call on one range: weight vectors (at most 38,912 bytes at 26 players) and one chunk's partial sums. */
export const SCRATCH_SLOT_BYTES = PAGE_BYTES;
/** Ranges that may run at once on one table; a call that finds too few free copies the table as for any other. */
const SCRATCH_SLOTS = 64;

/** Where a shared table lives, for the pool. */
export interface SharedTable {
  memory: WebAssembly.Memory;
  n: number;
  /** Byte offset of v(empty) in the memory. */
  tableOffset: number;
  /** Byte offsets of the scratch slots not in use. */
  freeSlots: number[];
}

const tables = new WeakMap<ArrayBufferLike, SharedTable>();

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
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > EXACT_MAX_PLAYERS) {
    throw new InputError(`createSharedTable(n): expected a number of players, an integer from 0 to ${EXACT_MAX_PLAYERS} (exact tables), got ${String(n)}`);
  }
  const entries = 2 ** n;
  if (!canShareWasmMemory()) return new Float64Array(entries);
  const tableOffset = SCRATCH_SLOTS * SCRATCH_SLOT_BYTES;
  const pages = SCRATCH_SLOTS + Math.ceil((entries * 8) / PAGE_BYTES);
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
  // The buffer is read once: the table's view and the registry key must be the same object.
  const buffer = memory.buffer;
  const freeSlots = Array.from({ length: SCRATCH_SLOTS }, (_, k) => k * SCRATCH_SLOT_BYTES);
  tables.set(buffer, { memory, n, tableOffset, freeSlots });
  return new Float64Array(buffer, tableOffset, entries);
}

/** The shared table `values` is, when it is one made by createSharedTable (the whole view, not a part). */
export function sharedTableOf(values: Float64Array): SharedTable | undefined {
  const table = tables.get(values.buffer);
  if (!table || values.byteOffset !== table.tableOffset || values.length !== 2 ** table.n) return undefined;
  return table;
}

/** `count` scratch slots of the table for one call, or undefined if fewer are free. */
export function takeScratchSlots(table: SharedTable, count: number): number[] | undefined {
  if (table.freeSlots.length < count) return undefined;
  return table.freeSlots.splice(table.freeSlots.length - count, count);
}

export function returnScratchSlots(table: SharedTable, slots: number[]): void {
  table.freeSlots.push(...slots);
}
