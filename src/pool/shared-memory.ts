// The shared Wasm memories behind createSharedTable (shared-table.ts). A
// pool's workers run the exact pass on such a table where it lies, each on
// its own range of chunks: nothing is copied, so two cores share the pass
// instead of the copying. Each call also needs scratch space for its weight
// vectors and partial sums; the memory keeps SCRATCH_SLOTS pages for that in
// front of the table, handed out per call by the thread that owns the table.

export const PAGE_BYTES = 65536;
/** One page per call on one range: weight vectors (at most 38,912 bytes at 26 players) and one chunk's partial sums. */
export const SCRATCH_SLOT_BYTES = PAGE_BYTES;
/** Ranges that may run at once on one table; a call that finds too few free copies the table as for any other. */
export const SCRATCH_SLOTS = 64;

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

/** A zeroed table for n players in a new shared memory, registered for sharedTableOf. */
export function newSharedTable(n: number): Float64Array {
  const entries = 2 ** n;
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
