// Exact Shapley values for many small tables in one call, so dataset work is
// not dominated by per-call overhead at the boundary.

import { shapleyExact } from './exact';
import { interactionsExact } from './interactions';

/**
 * sizes: i32 x count (players per table); tables: the 2^sizes[k] values of
 * each table, back to back; out: the sizes[k] Shapley values of each, back to back.
 */
export function shapleyBatch(tables: usize, sizes: usize, count: i32, out: usize): void {
  let table = tables;
  let result = out;
  for (let k = 0; k < count; k++) {
    const n = load<i32>(sizes + (<usize>k << 2));
    shapleyExact(table, n, result);
    table += (<usize>1 << <usize>n) << 3;
    result += <usize>n << 3;
  }
}

/**
 * Pairwise interaction matrices of many small tables in one call; out
 * receives the sizes[k] x sizes[k] matrix of each table, back to back.
 */
export function interactionsBatch(tables: usize, sizes: usize, count: i32, out: usize): void {
  let table = tables;
  let result = out;
  for (let k = 0; k < count; k++) {
    const n = load<i32>(sizes + (<usize>k << 2));
    interactionsExact(table, n, result);
    table += (<usize>1 << <usize>n) << 3;
    result += <usize>(n * n) << 3;
  }
}
