// What shapley() needs of a pool, without loading one: pools live in their
// own entries (agent-credit/pool, agent-credit/node), so the main entry stays
// small and never pulls in Comlink or worker code.
import type { IndexKind } from '../core/exact-chunks.js';
import { hasPoolBrand, POOL_BRAND } from '../core/pool-brand.js';

/** What every pool has, disposable or not: its size and terminate() (see Pool). */
export interface PoolHandle {
  /** Number of workers. */
  readonly size: number;
  /** Stops every worker (resolves once they have stopped); calls in flight reject with WorkerError, later calls too. */
  terminate(): Promise<void>;
}

/**
 * Workers for shapley(game, { pool }) and banzhaf(game, { pool }), from
 * createPool(). Async-disposable (`[Symbol.asyncDispose]` is `terminate`, for
 * `await using`) where the TypeScript lib knows Symbol.asyncDispose
 * (esnext.disposable, @types/node): named only then, so that declarations
 * type-check without that lib.
 */
export type Pool = PoolHandle &
  (SymbolConstructor extends { readonly asyncDispose: infer D extends symbol } ? { readonly [K in D]: () => Promise<void> } : unknown);

/** Options of createPool(). */
export interface PoolOptions {
  /** Number of workers; default: the number of logical cores. */
  workers?: number;
}

/** A value table or a built-in game, validated, as a pool takes it. */
export type PoolGame =
  /** `unscanned`: the values were not checked for NaN and infinities; exact() checks them (see readsInPlace). */
  | { kind: 'table'; values: Float64Array; players: string[]; unscanned?: true }
  | { kind: 'builtin'; kindId: number; params: Float64Array };

/** The pool's side of shapley() and banzhaf(). */
export interface PoolRunner extends PoolHandle {
  readonly [POOL_BRAND]: true;
  exact(game: PoolGame, n: number, index: IndexKind): Promise<Float64Array>;
  /**
   * Whether exact() reads this table where it lies (a table from
   * createSharedTable): its values then need no scan on the calling thread,
   * since a NaN or infinity in them makes the pass's result non-finite.
   */
  readsInPlace(values: Float64Array): boolean;
  permutation(game: PoolGame, n: number, budget: number, seed: number): Promise<{ values: Float64Array; stderr: Float64Array; evaluations: number }>;
}

export { POOL_BRAND };

export function isPool(value: unknown): value is PoolRunner {
  return hasPoolBrand(value);
}
