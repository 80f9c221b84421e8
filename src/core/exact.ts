// Exact indices from a full value table, computed by the Wasm core.
import { kernelExports, type KernelExports } from './wasm/module.js';
import { keptBlock } from './wasm/kept-blocks.js';
import { withWindow, type WasmWindow } from './wasm/window.js';
import type { WasmTableRecord } from './wasm-table.js';
import { GAME_KIND_ID, type BuiltinGame } from './games.js';
import { addChunkPartial, indexFromPartials, INDEX_ID, planChunks, type ExactPass, type IndexKind } from './exact-chunks.js';

export type { ExactPass };

/**
 * A table's values: a Float64Array (streamed or copied into Wasm memory), a
 * plain array of checked numbers (copied into Wasm memory), or a table from
 * createTable (read where it lies).
 */
export type TableSource = Float64Array | readonly number[] | WasmTableRecord;

type TableKernel = 'shapleyExact' | 'banzhafExact' | 'interactionsExact';

/** Byte offset of the table in Wasm memory: in place, or copied into the kept table block. */
function tablePointer(core: KernelExports, source: TableSource): number {
  if (!(source instanceof Float64Array) && !Array.isArray(source)) return (source as WasmTableRecord).pointer;
  const pointer = keptBlock(core, 'table', source.length * 8);
  new Float64Array(core.memory.buffer, pointer, source.length).set(source);
  return pointer;
}

/**
 * The fast pass sums v itself, so its rounding scales with the values: about
 * eps (2^(n-8) + 70) of them (2^(n-8) blocks' sums added in turn). A value
 * below 2^24 times that share of the table's corner values (v(empty), v(N),
 * v({j}), v(N - {j})) may have lost more than its last 24 bits: the pass is
 * then redone on v less its additive reference (assembly/exact/blocks.ts),
 * whose rounding scales with how far the game is from additive instead.
 */
export function referenceThreshold(n: number): number {
  return 2 ** 24 * 2 ** -53 * (2 ** Math.max(n - 8, 0) + 70);
}
const PADDED_PLAYERS = 8;

/**
 * Whether the fast pass's values (for the table `table` of n players) are
 * redone on v less its additive reference: some value is below
 * referenceThreshold(n) of the largest corner value M, and so is that
 * player's own reference term a_i = (v({i}) - v(empty) + v(N) - v(N - {i})) / 2
 * (below 2^-10 M): a small credit, which the reference keeps, rather than
 * large marginal contributions that cancel, which no reference helps.
 */
export function usesReference(values: Float64Array, table: Float64Array, n: number): boolean {
  if (!values.every(Number.isFinite)) return false;
  const full = table.length - 1;
  let scale = Math.max(Math.abs(table[0]), Math.abs(table[full]));
  for (let j = 0; j < n; j++) scale = Math.max(scale, Math.abs(table[2 ** j]), Math.abs(table[full - 2 ** j]));
  if (!Number.isFinite(scale)) return false;
  return Array.from(values).some((value, i) => {
    const term = (table[2 ** i] - table[0] + (table[full] - table[full - 2 ** i])) / 2;
    return Math.abs(value) < referenceThreshold(n) * scale && Math.abs(term) < 2 ** -10 * scale;
  });
}

/** The referenced pass; tables under 8 players padded with null players (which change no other player's value). */
function referencedPass(core: KernelExports, table: number, n: number, index: number, out: number): number {
  if (n >= PADDED_PLAYERS) return core.referencedExact(table, n, index, out);
  const entries = 2 ** PADDED_PLAYERS;
  const padded = keptBlock(core, 'padded', entries * 8);
  const source = new Float64Array(core.memory.buffer, table, 2 ** n);
  const target = new Float64Array(core.memory.buffer, padded, entries);
  for (let mask = 0; mask < entries; mask++) target[mask] = source[mask % source.length];
  return core.referencedExact(padded, PADDED_PLAYERS, index, out);
}

/**
 * The fast pass over a Float64Array, streamed: each chunk is copied into one
 * kept chunk-sized block and summed there while it is still in cache, so the
 * table is read from memory once instead of copied whole and read back. The
 * partial sums are added up as they come, in chunk order, as a pool's are
 * (the values agree with the pool's to rounding, not to the bit: a pool
 * worker reads its chunk block by block, as it must a shared table).
 */
export function streamedPass(core: KernelExports, table: Float64Array, n: number, index: IndexKind): ExactPass {
  const plan = planChunks(n);
  // The chunk, its partial sums, and 16 bytes a block for a Shapley chunk's
  // block sums: the chunk is in cache, and is read pattern-major (n >= 3;
  // assembly/exact/membership.ts, accumulateCachedBlocks).
  const block = keptBlock(core, 'chunk', (plan.chunkEntries + plan.partialLength + 2 * plan.chunkBlocks) * 8);
  const out = block + plan.chunkEntries * 8;
  const blockSums = n >= 3 ? out + plan.partialLength * 8 : 0;
  const chunk = new Float64Array(core.memory.buffer, block, plan.chunkEntries);
  const partial = new Float64Array(core.memory.buffer, out, plan.partialLength);
  const merged = new Float64Array(plan.partialLength);
  for (let c = 0; c < plan.chunks; c++) {
    chunk.set(table.subarray(c * plan.chunkEntries, (c + 1) * plan.chunkEntries));
    core.membershipChunk(block, n, c * plan.chunkBlocks, plan.chunkBlocks, INDEX_ID[index], out, blockSums);
    addChunkPartial(merged, partial);
  }
  return indexFromPartials(merged, n, index, table[0], table[table.length - 1]);
}

/** The referenced pass's values and total, written at `out`. */
function referencedResult(core: KernelExports, table: number, n: number, index: IndexKind, out: number): ExactPass {
  const total = referencedPass(core, table, n, INDEX_ID[index], out);
  return { values: new Float64Array(core.memory.buffer, out, n).slice(), total };
}

/**
 * Float64Arrays of at least this many values (16 MiB) are streamed. A smaller
 * table and its whole copy stay in the last-level cache, where streaming
 * gains little (npm run bench -- kernel, n = 20: within 0.1 ms), and the copy
 * leaves the kept table block in cache for an interactions() call that
 * follows on the same table (0.25 ms of its 1.6 at n = 20).
 */
const STREAMED_ENTRIES = 2 ** 21;

/**
 * Runs one exact kernel on the table; the kept blocks are reused across
 * calls. A large Float64Array is streamed through Wasm memory (streamedPass):
 * it crosses the memory bus once, where a whole copy reads it, writes the
 * copy and reads the copy back for the pass. It is copied whole only when the
 * referenced pass (a second, rarer pass over the whole table) follows.
 */
export async function exactPass(kernel: TableKernel, source: TableSource, n: number): Promise<ExactPass> {
  const core = await kernelExports();
  if (kernel === 'interactionsExact') {
    const out = keptBlock(core, 'results', n * n * 8);
    const total = core.interactionsExact(tablePointer(core, source), n, out);
    return { values: new Float64Array(core.memory.buffer, out, n * n).slice(), total };
  }
  const index: IndexKind = kernel === 'banzhafExact' ? 'banzhaf' : 'shapley';
  const out = keptBlock(core, 'results', n * 8);
  if (source instanceof Float64Array && source.length >= STREAMED_ENTRIES) {
    const pass = streamedPass(core, source, n, index);
    if (!usesReference(pass.values, source, n)) return pass;
    return referencedResult(core, tablePointer(core, source), n, index, out);
  }
  const table = tablePointer(core, source);
  const total = core[kernel](table, n, out);
  const values = new Float64Array(core.memory.buffer, out, n);
  if (!usesReference(values, new Float64Array(core.memory.buffer, table, 2 ** n), n)) return { values: values.slice(), total };
  return referencedResult(core, table, n, index, out);
}

/** Exact Shapley values of the table (length 2^n). */
export async function exactShapleyValues(table: TableSource, n: number): Promise<Float64Array> {
  return (await exactPass('shapleyExact', table, n)).values;
}

/** Exact Banzhaf values of the table (length 2^n). */
export async function exactBanzhafValues(table: TableSource, n: number): Promise<Float64Array> {
  return (await exactPass('banzhafExact', table, n)).values;
}

/** Exact pairwise Shapley interaction index, an n x n row-major matrix with a zero diagonal. */
export async function exactInteractionMatrix(table: TableSource, n: number): Promise<Float64Array> {
  return (await exactPass('interactionsExact', table, n)).values;
}

/** The 2^n-value table of a built-in game, computed in Wasm. */
export async function tabulate(game: BuiltinGame): Promise<Float64Array> {
  const n = game.players.length;
  const core = await kernelExports();
  return withWindow(core, (window) => {
    const params = window.add(game.params.length);
    const output = window.add(2 ** n);
    window.f64(params, game.params.length).set(game.params);
    core.tabulateRange(GAME_KIND_ID[game.builtin], window.pointer(params), n, 0, 2 ** n, window.pointer(output));
    return window.f64(output, 2 ** n).slice();
  });
}

/** Copies `tables` back to back into a new block of the window (totalValues in all); returns its slot. */
export function packTables(window: WasmWindow, tables: readonly Float64Array[], totalValues: number): number {
  const slot = window.add(totalValues);
  const packed = window.f64(slot, totalValues);
  let offset = 0;
  for (const table of tables) {
    packed.set(table, offset);
    offset += table.length;
  }
  return slot;
}

/**
 * Exact Shapley values of many small tables in one Wasm call.
 * `tables[k]` holds 2^n_k values; returns one Float64Array of n_k values per table.
 */
export async function exactShapleyBatch(tables: readonly Float64Array[]): Promise<Float64Array[]> {
  const sizes = new Int32Array(tables.length);
  let totalValues = 0;
  let totalPlayers = 0;
  tables.forEach((table, k) => {
    sizes[k] = Math.round(Math.log2(table.length));
    totalValues += table.length;
    totalPlayers += sizes[k];
  });
  const core = await kernelExports();
  const all = withWindow(core, (window) => {
    const sizeSlot = window.add(tables.length, 4);
    const tableSlot = packTables(window, tables, totalValues);
    const outSlot = window.add(totalPlayers);
    window.i32(sizeSlot, tables.length).set(sizes);
    core.shapleyBatch(window.pointer(tableSlot), window.pointer(sizeSlot), tables.length, window.pointer(outSlot));
    return window.f64(outSlot, totalPlayers).slice();
  });
  const results: Float64Array[] = [];
  let offset = 0;
  for (const n of sizes) {
    results.push(all.subarray(offset, offset + n));
    offset += n;
  }
  return results;
}
