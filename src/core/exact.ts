// Exact indices from a full value table, computed by the Wasm core.
import { kernelExports } from './wasm/module.js';
import { withWindow, type WasmWindow } from './wasm/window.js';
import { GAME_KIND_ID, type BuiltinGame } from './games.js';

type TableKernel = 'shapleyExact' | 'banzhafExact';

async function perPlayer(kernel: TableKernel, table: Float64Array, n: number): Promise<Float64Array> {
  const core = await kernelExports();
  return withWindow(core, (window) => {
    const input = window.add(table.length);
    const output = window.add(n);
    window.f64(input, table.length).set(table);
    core[kernel](window.pointer(input), n, window.pointer(output));
    return window.f64(output, n).slice();
  });
}

/** Exact Shapley values of the table (length 2^n). */
export function exactShapleyValues(table: Float64Array, n: number): Promise<Float64Array> {
  return perPlayer('shapleyExact', table, n);
}

/** Exact Banzhaf values of the table (length 2^n). */
export function exactBanzhafValues(table: Float64Array, n: number): Promise<Float64Array> {
  return perPlayer('banzhafExact', table, n);
}

/** Exact pairwise Shapley interaction index, an n x n row-major matrix with a zero diagonal. */
export async function exactInteractionMatrix(table: Float64Array, n: number): Promise<Float64Array> {
  const core = await kernelExports();
  return withWindow(core, (window) => {
    const input = window.add(table.length);
    const derivative = window.add(Math.max(1, table.length / 2));
    const row = window.add(n);
    const output = window.add(n * n);
    window.f64(input, table.length).set(table);
    core.interactionsExact(window.pointer(input), n, window.pointer(derivative), window.pointer(row), window.pointer(output));
    return window.f64(output, n * n).slice();
  });
}

/** The 2^n-value table of a built-in game, computed in Wasm. */
export async function tabulate(game: BuiltinGame): Promise<Float64Array> {
  const n = game.players.length;
  const core = await kernelExports();
  return withWindow(core, (window) => {
    const params = window.add(game.params.length);
    const output = window.add(2 ** n);
    window.f64(params, game.params.length).set(game.params);
    core.tabulateGame(GAME_KIND_ID[game.builtin], window.pointer(params), n, window.pointer(output));
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
