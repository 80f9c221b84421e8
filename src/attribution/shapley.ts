// The attribution API: Shapley and Banzhaf values and pairwise interactions
// of a game given as a value table or as a built-in game.
import { InputError } from '../core/errors.js';
import { isEvaluatorGame, shapleyOfEvaluator, type EvaluatorGame, type EvaluatorOptions, type EvaluatorResult } from '../evaluator/evaluator-game.js';
import { exactBanzhafValues, exactInteractionMatrix, exactShapleyValues, tabulate } from '../core/exact.js';
import { BUILTIN_MAX_PLAYERS, GAME_KIND_ID, paramsFit, type BuiltinGame } from '../core/games.js';
import { mergeBlockStats, planPermutation, runPermutationBlocks } from '../estimators/permutation.js';
import { shapleyOptionsSchema, type Method } from '../core/schemas.js';
import { createWasmSampler, SAMPLED_MAX_BUDGET, type WasmMethod } from '../estimators/wasm-estimators.js';
import { EXACT_MAX_PLAYERS, checkFiniteValues, checkPlayers, checkTableGame, type TableGame } from '../core/table.js';
import type { IndexKind } from '../pool/exact-chunks.js';
import { isPool, type Pool, type PoolGame, type PoolRunner } from '../pool/contract.js';
import { checkKnownOptions, describe, finiteSums, parseOrThrow } from '../core/validate.js';
import { kernelExports } from '../core/wasm/module.js';

/** A game the attribution functions accept: a full value table or a built-in game. */
export type Game = TableGame | BuiltinGame;

/**
 * How {@link shapley} computes: method, sampling budget and seed.
 *
 * @example
 * await shapley(game, { method: 'permutation', budget: 20_000, seed: 7 });
 */
export interface ShapleyOptions {
  /**
   * 'exact' enumerates all 2^n coalitions; 'permutation', 'stratified',
   * 'kernel', 'svarm' and 'msr' sample (see README), and return exact values
   * with zero stderr when the budget covers all 2^n coalitions (n <= 26);
   * 'auto' (default) picks.
   */
  method?: Method;
  /** Evaluations of v the sampler may spend (the same unit for every method). Default 100,000. */
  budget?: number;
  /** Seed of the sampler's random stream; the same seed gives the same result. Default 0. */
  seed?: number;
  /**
   * Run on these workers (createPool) instead of the calling thread. Exact
   * passes split the table by ranges, sampling splits blocks of pairs: the
   * values are those of a single thread (bit-identical for sampling).
   */
  pool?: Pool;
}

/** Values of each player, in the order of `players`, with how they were computed. */
export interface ShapleyResult {
  /** The game's player names; `values[i]` belongs to `players[i]`. */
  players: string[];
  /** One value per player; they add up to v(N) - v(empty) (efficiency), up to sampling error. */
  values: Float64Array;
  /** Standard error of each value; null when the values are exact. */
  stderr: Float64Array | null;
  /** The method that produced the values ('auto' resolves to one of the others). */
  method: Exclude<Method, 'auto'>;
  /** Evaluations of v spent. */
  evaluations: number;
}

/** The pairwise Shapley interaction index of every pair of players. */
export interface InteractionResult {
  /** The game's player names, indexing the rows and columns of `matrix`. */
  players: string[];
  /** n x n row-major; entry i*n+j > 0 means synergy between i and j, < 0 redundancy; zero diagonal. */
  matrix: Float64Array;
}

/** Evaluations of v that sampling spends when `options.budget` is not given. */
export const DEFAULT_BUDGET = 100_000;
/** Built-in games up to this size are tabulated for exact values when no budget says otherwise. */
const AUTO_EXACT_MAX_PLAYERS = 20;

/** A game checked by checkGame (internal). */
export type CheckedGame =
  /** `unscanned`: the values are not yet checked for NaN and infinities (see checkGame). */
  | { kind: 'table'; players: string[]; values: Float64Array; unscanned?: true }
  | { kind: 'builtin'; players: string[]; game: BuiltinGame };

/**
 * Validates a table or built-in game (internal; also used by owen). A table
 * that `pool` reads in place is not scanned here, on the calling thread: its
 * check rides on the workers' exact pass (WorkerPool.exact), or on scanValues before
 * any other method.
 */
export function checkGame(game: unknown, pool?: PoolRunner): CheckedGame {
  if (game && typeof game === 'object' && 'builtin' in game) {
    const builtin = game as BuiltinGame;
    const players = checkPlayers(builtin.players);
    if (players.length > BUILTIN_MAX_PLAYERS) {
      throw new InputError(`players: built-in games take at most ${BUILTIN_MAX_PLAYERS} players, got ${players.length}`);
    }
    const kind = builtin.builtin;
    // Forged games: 'table' and inherited names ('toString') are not built-in kinds.
    const known = (kind as string) !== 'table' && Object.prototype.hasOwnProperty.call(GAME_KIND_ID, kind);
    if (!known || !(builtin.params instanceof Float64Array) || !paramsFit(kind, players.length, builtin.params)) {
      throw new InputError(
        `game: expected a built-in game made by soumGame, quadraticGame, airportGame or votingGame for its ${players.length} players`,
      );
    }
    return { kind: 'builtin', players, game: builtin };
  }
  if (game && typeof game === 'object' && 'values' in game) {
    const given = (game as { values: unknown }).values;
    // A pool from another copy of the library may predate readsInPlace.
    const inPlace = given instanceof Float64Array && typeof pool?.readsInPlace === 'function' && pool.readsInPlace(given);
    const { players, values } = checkTableGame(game, !inPlace);
    return inPlace ? { kind: 'table', players, values, unscanned: true } : { kind: 'table', players, values };
  }
  throw new InputError('game: expected { players, values } (a value table) or a built-in game');
}

function tooManyForExact(n: number): InputError {
  return new InputError(
    `exact values enumerate 2^${n} coalitions; at most ${EXACT_MAX_PLAYERS} players fit in memory. ` +
      `For Shapley values of more players use shapley() with method 'permutation' (or 'auto') and a budget.`,
  );
}

/** The value table of a checked game, tabulating built-in games (internal). */
export async function tableOf(game: CheckedGame): Promise<Float64Array> {
  if (game.kind === 'table') return game.values;
  if (game.players.length > EXACT_MAX_PLAYERS) throw tooManyForExact(game.players.length);
  return tabulate(game.game);
}

/**
 * What 'auto' runs: exact when the table is at hand or the budget covers
 * every coalition (with no budget, for up to 20 players), else msr, the most
 * accurate per evaluation in scripts/bench/estimators.js at every size and
 * budget measured, up to its budget cap; permutation beyond it.
 */
export function autoMethod(n: number, budget: number | undefined, tableGiven: boolean): Exclude<Method, 'auto'> {
  if (tableGiven) return 'exact';
  if (budget === undefined) return n <= AUTO_EXACT_MAX_PLAYERS ? 'exact' : 'msr';
  if (budget >= 2 ** n && n <= EXACT_MAX_PLAYERS) return 'exact';
  // msr keeps every evaluation in Wasm memory; beyond its cap only permutation sampling scales.
  return budget > SAMPLED_MAX_BUDGET ? 'permutation' : 'msr';
}

function resolveMethod(game: CheckedGame, method: Method, budget: number | undefined): Exclude<Method, 'auto'> {
  return method === 'auto' ? autoMethod(game.players.length, budget, game.kind === 'table') : method;
}

/**
 * Shapley value of each player.
 *
 * @example
 * const r = await shapley({ players: ['a', 'b'], values: [0, 1, 1, 3] });
 * r.values; // Float64Array [1.5, 1.5]
 */
export async function shapley(game: Game, options?: ShapleyOptions): Promise<ShapleyResult>;
/**
 * Shapley value of each player of a game given by an evaluator, called at most
 * once per distinct coalition (see EvaluatorOptions for budget, tolerance,
 * concurrency, abort, progress, timeouts, retries and resuming from a cache).
 *
 * @example
 * const r = await shapley({ players: ['a', 'b'], evaluate: async (s) => judge(s) }, { budget: 200 });
 * r.values; r.stopReason; r.evaluations; r.cache;
 */
export async function shapley(game: EvaluatorGame, options?: EvaluatorOptions): Promise<EvaluatorResult>;
export async function shapley(game: Game | EvaluatorGame, options?: ShapleyOptions | EvaluatorOptions): Promise<ShapleyResult> {
  options ??= {};
  if (isEvaluatorGame(game)) return shapleyOfEvaluator(game, options as EvaluatorOptions);
  checkKnownOptions(options, ['method', 'budget', 'seed', 'pool']);
  const pool = checkPool(options as ShapleyOptions);
  const checked = checkGame(game, pool);
  const { method = 'auto', budget, seed = 0 } = parseOrThrow(shapleyOptionsSchema, options, 'options');
  const n = checked.players.length;
  const chosen = resolveMethod(checked, method, budget);
  if (chosen === 'exact') {
    const values = await exactValues(checked, 'shapley', pool);
    return { players: checked.players, values, stderr: null, method: 'exact', evaluations: 2 ** n };
  }
  scanValues(checked);
  const spend = budget ?? DEFAULT_BUDGET;
  if (spend >= 2 ** n && n <= EXACT_MAX_PLAYERS) {
    // The budget buys every coalition, so every estimator, permutation
    // included, spends 2^n evaluations on them and is exact (on the pool's
    // exact path when given one).
    const values = await exactValues(checked, 'shapley', pool);
    return { players: checked.players, values, stderr: new Float64Array(n), method: chosen, evaluations: 2 ** n };
  }
  if (chosen === 'permutation') return permutationShapley(checked, spend, seed, pool);
  return sampledShapley(checked, chosen, spend, seed);
}

async function sampledShapley(
  game: CheckedGame, method: WasmMethod, budget: number, seed: number,
): Promise<ShapleyResult> {
  const n = game.players.length;
  const sampler = createWasmSampler(method, await kernelExports(), n, budget, seed);
  try {
    const [kindId, params] = game.kind === 'table' ? [GAME_KIND_ID.table, game.values] : [GAME_KIND_ID[game.game.builtin], game.game.params];
    sampler.runInWasm(kindId, params);
    const { values, stderr } = sampler.estimate();
    return { players: game.players, values: finiteSums(values), stderr, method, evaluations: sampler.evaluations };
  } finally {
    sampler.dispose();
  }
}

function checkPool(options: { pool?: unknown }): PoolRunner | undefined {
  const { pool } = options;
  if (pool === undefined) return undefined;
  if (!isPool(pool)) throw new InputError(`options.pool: expected a pool made by createPool(), got ${describe(pool)}`);
  return pool;
}

/** The game as workers take it; built-in games are tabulated by the workers, a range each. */
function poolGameOf(game: CheckedGame, forExact: boolean): PoolGame {
  if (game.kind === 'table') return { kind: 'table', values: game.values, players: game.players, unscanned: game.unscanned };
  if (forExact && game.players.length > EXACT_MAX_PLAYERS) throw tooManyForExact(game.players.length);
  return { kind: 'builtin', kindId: GAME_KIND_ID[game.game.builtin], params: game.game.params };
}

/** Exact Shapley or Banzhaf values, from the pool's workers (which check a table checkGame left unscanned) or this thread. */
async function exactValues(game: CheckedGame, index: IndexKind, pool?: PoolRunner): Promise<Float64Array> {
  const n = game.players.length;
  if (pool) return finiteSums(await pool.exact(poolGameOf(game, true), n, index));
  const table = await tableOf(game);
  return finiteSums(await (index === 'shapley' ? exactShapleyValues(table, n) : exactBanzhafValues(table, n)));
}

export { finiteSums };

/** Scans a table checkGame left unscanned, before anything but the pool's exact pass reads it. */
function scanValues(game: CheckedGame): void {
  if (game.kind === 'table' && game.unscanned) checkFiniteValues(game.values, game.players);
}

async function permutationShapley(game: CheckedGame, budget: number, seed: number, pool?: PoolRunner): Promise<ShapleyResult> {
  const n = game.players.length;
  if (pool && n > 1) {
    const { values, stderr, evaluations } = await pool.permutation(poolGameOf(game, false), n, budget, seed);
    return { players: game.players, values: finiteSums(values), stderr, method: 'permutation', evaluations };
  }
  // One player: a budget of 2 already bought the exact branch, so a smaller one is refused here.
  const plan = planPermutation(n, budget);
  const core = await kernelExports();
  const [kindId, params] = game.kind === 'table' ? [GAME_KIND_ID.table, game.values] : [GAME_KIND_ID[game.game.builtin], game.game.params];
  const stats = runPermutationBlocks(core, kindId, params, n, seed, 0, plan.blocks, plan.pairs);
  const { values, stderr } = mergeBlockStats(stats, n, plan.pairs);
  return { players: game.players, values: finiteSums(values), stderr, method: 'permutation', evaluations: plan.evaluations };
}

/**
 * Exact Banzhaf value of each player (every coalition weighted equally).
 *
 * @example
 * (await banzhaf({ players: ['a', 'b'], values: [0, 1, 1, 3] })).values; // Float64Array [1.5, 1.5]
 */
export async function banzhaf(game: Game, options: { pool?: Pool } = {}): Promise<ShapleyResult> {
  checkKnownOptions(options, ['pool']);
  const pool = checkPool(options ?? {});
  const checked = checkGame(game, pool);
  const n = checked.players.length;
  const values = await exactValues(checked, 'banzhaf', pool);
  return { players: checked.players, values, stderr: null, method: 'exact', evaluations: 2 ** n };
}

/**
 * Exact pairwise Shapley interaction index: negative = redundant pair, positive = synergy.
 *
 * @example
 * const { matrix } = await interactions({ players: ['a', 'b'], values: [0, 1, 1, 3] });
 * matrix; // Float64Array [0, 1, 1, 0]: a and b together earn 1 more than apart
 */
export async function interactions(game: Game): Promise<InteractionResult> {
  const checked = checkGame(game);
  const n = checked.players.length;
    const matrix = finiteSums(await exactInteractionMatrix(await tableOf(checked), n));
  return { players: checked.players, matrix };
}
