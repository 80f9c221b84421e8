// createTable: a value table that lives in this thread's Wasm memory, so the
// exact kernels read it where it lies instead of copying it in.
//
// A Float64Array over Wasm memory has one hazard: when the memory grows (a
// later call needing more than is free), JavaScript detaches every view of
// the old buffer, and the view reads as empty. The values themselves stay
// where they were. So each table is a record (where its values are) behind
// its views: the library reads a table through its record, detached or not,
// and `table.view()` gives the caller a fresh view of the same values.
import { InputError } from './errors.js';
import { describe } from './validate.js';
import { EXACT_MAX_PLAYERS } from './table.js';
import { kernelExports, loadedKernel, type KernelExports } from './wasm/module.js';
import { keptBlock } from './wasm/kept-blocks.js';
import { allocateAlignedBlock, allocateBlock } from './wasm/window.js';

/**
 * What a table needs of the thread's Wasm core (its memory and allocator),
 * named without WebAssembly types so apps type-checked without the DOM lib
 * can import this module's declarations.
 */
interface TableCore {
  readonly memory: { readonly buffer: ArrayBuffer };
  release(pointer: number): void;
}

/** Where a createTable table's values live. */
export interface WasmTableRecord {
  core: TableCore;
  /** Byte offset of v(empty) in the core's memory, on a 4 KiB page. */
  pointer: number;
  /** What the allocator returned, to release. */
  base: number;
  n: number;
  freed: boolean;
}

/**
 * A value table in the calling thread's Wasm memory (see {@link createTable}):
 * a Float64Array of 2^n values, `table[mask]` = v(mask), with an explicit
 * lifetime. Disposable (`[Symbol.dispose]`, for `using`) where the TypeScript
 * lib knows Symbol.dispose (esnext.disposable, @types/node).
 */
export type WasmTable = Float64Array &
  (SymbolConstructor extends { readonly dispose: infer D extends symbol } ? { [K in D]: () => void } : unknown) & {
    /** Players of the table: it holds 2^n values. */
    readonly n: number;
    /** Returns the memory to the library; the table (and every view of it) is refused afterwards. Idempotent. */
    free(): void;
    /**
     * This table's values as a fresh view: the same memory, readable and
     * writable again after the Wasm memory grew and detached the old view
     * (its length then reads 0). Returns the table itself while it is attached.
     */
    view(): WasmTable;
  };

const records = new WeakMap<Float64Array, WasmTableRecord>();

class TableView extends Float64Array {
  // Methods that make new arrays (map, filter, slice, subarray) make plain ones.
  static get [Symbol.species](): Float64ArrayConstructor {
    return Float64Array;
  }

  get n(): number {
    return records.get(this)!.n;
  }

  free(): void {
    const record = records.get(this)!;
    if (record.freed) return;
    record.freed = true;
    record.core.release(record.base);
  }

  view(): WasmTable {
    const record = records.get(this)!;
    if (record.freed) throw freedError('table.view()');
    return (isAttached(this) ? this : viewOf(record)) as unknown as WasmTable;
  }
}

const dispose = (Symbol as { dispose?: symbol }).dispose;
if (dispose) Object.defineProperty(TableView.prototype, dispose, { value: TableView.prototype.free, writable: true, configurable: true });

function isAttached(view: Float64Array): boolean {
  return view.buffer.byteLength > 0;
}

/** A view of the record's values over the memory as it is now. */
function viewOf(record: WasmTableRecord): TableView {
  const view = new TableView(record.core.memory.buffer, record.pointer, 2 ** record.n);
  records.set(view, record);
  return view;
}

function freedError(what: string): InputError {
  return new InputError(`${what}: this table was freed (table.free() or the end of its using block); make a new one with createTable(n)`);
}

/**
 * A zeroed value table for n players (2^n values, `table[mask]` = v(mask))
 * in the calling thread's Wasm memory: fill it, and `shapley`, `banzhaf`,
 * `interactions` and `owen` read it where it lies, without copying it (the
 * single-thread sibling of createSharedTable).
 *
 * Its lifetime is explicit: `table.free()` returns the memory, or declare it
 * with `using` (it is disposable). A freed table is refused.
 *
 * The Wasm memory may grow during a later call that needs more memory than
 * is free (a larger table, a sampling run with a large budget; createTable
 * leaves 32 MiB free for such calls); JavaScript then detaches the views
 * made before, which read as empty. The library still reads such a table
 * correctly; to read or write it yourself again, take `table.view()`. Exact
 * calls on a table from createTable never grow the memory themselves.
 *
 * @example
 * using table = await createTable(20);
 * for (let mask = 0; mask < table.length; mask++) table[mask] = score(mask);
 * const { values } = await shapley({ players, values: table });
 */
export async function createTable(n: number): Promise<WasmTable> {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > EXACT_MAX_PLAYERS) {
    throw new InputError(`createTable(n): expected a number of players, an integer from 1 to ${EXACT_MAX_PLAYERS} (exact tables), got ${describe(n)}`);
  }
  const core = await kernelExports();
  // The results block first: exact calls on the table then allocate nothing.
  keptBlock(core, 'results', 0);
  const { base, pointer } = allocateAlignedBlock(core, 2 ** n * 8);
  reserveHeadroom(core);
  const view = viewOf({ core, pointer, base, n, freed: false });
  view.fill(0);
  return view as unknown as WasmTable;
}

/** Free Wasm memory left after a new table, so later calls (sampling, smaller tables) rarely need to grow it. */
const HEADROOM_BYTES = 32 * 2 ** 20;

/** Grows the memory now, while no view but the new one exists, by allocating and releasing a block; untouched pages cost no RSS. */
function reserveHeadroom(core: KernelExports): void {
  try {
    core.release(allocateBlock(core, HEADROOM_BYTES));
  } catch {
    // No headroom to be had: later calls grow the memory when they must.
  }
}

/**
 * The record behind a table from createTable, or undefined for any other
 * array. Throws an InputError for a freed table, and for a view into this
 * thread's Wasm memory that is not a whole table (a subarray, a view made by
 * hand on its buffer): its values could move under it.
 */
export function wasmTableOf(values: unknown, path: string): WasmTableRecord | undefined {
  if (!(values instanceof Float64Array)) return undefined;
  const record = records.get(values);
  if (record) {
    if (record.freed) throw freedError(path);
    return record;
  }
  if (values.buffer === loadedKernel()?.memory.buffer) {
    throw new InputError(
      `${path}: a Float64Array over the library's Wasm memory that is not a table from createTable (a subarray or a view of its buffer); pass the table itself, or a copy`,
    );
  }
  return undefined;
}

/** A view of the record's values over the memory as it is now (valid until the memory next grows). */
export function liveValues(record: WasmTableRecord): Float64Array {
  return new Float64Array(record.core.memory.buffer, record.pointer, 2 ** record.n);
}
