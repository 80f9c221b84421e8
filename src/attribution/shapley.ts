// The attribution API: Shapley and Banzhaf values and pairwise interactions
// of a game given as a value table or as a built-in game.
import { InputError } from '../core/errors.js';
import { isEvaluatorGame, planEvaluatorRun, shapleyOfEvaluator, type EvaluatorGame, type EvaluatorOptions, type EvaluatorResult } from '../evaluator/evaluator-game.js';
import { autoMethod, buysEveryCoalition, DEFAULT_BUDGET, resolveMethod, type RunPlan } from '../estimators/plan.js';
import { exactPass, tabulate, type ExactPass, type TableSource } from '../core/exact.js';
import { BUILTIN_MAX_PLAYERS, GAME_KIND_ID, paramsFit, type BuiltinGame } from '../core/games.js';
import { mergeBlockStats, planPermutation, runPermutationBlocks } from '../estimators/permutation.js';
import { shapleyOptionsSchema, type Method } from '../core/schemas.js';
import { createWasmSampler, type WasmMethod } from '../estimators/wasm-estimators.js';
import { scaleGameParams, unscaleEstimate } from '../estimators/value-scale.js';
import { EXACT_MAX_PLAYERS, checkFiniteValues, checkPlayers, checkTableGame, largestMagnitude, type TableGame } from '../core/table.js';
import type { IndexKind } from '../core/exact-chunks.js';
import { isPool, type Pool, type PoolGame, type PoolRunner } from '../pool/contract.js';
import { checkKnownOptions, describe, finiteSums, nearestName, parseOrThrow } from '../core/validate.js';
import { kernelExports } from '../core/wasm/module.js';
import { liveValues, wasmTableOf, type WasmTableRecord } from '../core/wasm-table.js';

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

export { autoMethod, DEFAULT_BUDGET };

/** A game checked by checkGame (internal). */
export type CheckedGame =
  /**
   * `unscanned`: the values are not yet checked for NaN and infinities (the
   * exact pass checks them; see checkedPass). `inPlace`: a table from
   * createTable, read where it lies; `values` is then a view that a later
   * allocation in Wasm memory may detach (see valuesOf). `largest`: the
   * largest |v|, which scanValues measures in the same pass as it checks,
   * so sampling sizes the values (scaleGameParams) without another. A
   * plain array's entries are checked; it is converted to a Float64Array
   * only by a reader other than the exact pass (valuesOf), as the pass
   * copies it straight into Wasm memory.
   */
  | { kind: 'table'; players: string[]; values: Float64Array | number[]; unscanned?: true; inPlace?: WasmTableRecord; largest?: number }
  | { kind: 'builtin'; players: string[]; game: BuiltinGame };

/**
 * Validates a table or built-in game (internal; also used by owen). A
 * Float64Array is not scanned here: its check rides on the exact pass, or on
 * scanValues before any other reader. `tableOnly` names a caller that takes
 * no evaluator game (banzhaf, interactions), for an error that says so;
 * shapley and owen send evaluator games elsewhere before calling this.
 */
export function checkGame(game: unknown, tableOnly?: 'banzhaf' | 'interactions'): CheckedGame {
  if (tableOnly !== undefined && isEvaluatorGame(game)) throw evaluatorNotTaken(tableOnly);
  if (game && typeof game === 'object' && 'builtin' in game) {
    const builtin = game as BuiltinGame;
    // A table beside a built-in game would be ignored in silence: the game would run on its kind and params alone.
    if ((game as { values?: unknown }).values !== undefined) throw twoSources();
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
    const inPlace = wasmTableOf((game as { values: unknown }).values, 'values');
    const { players, values, unscanned } = checkTableGame(game, inPlace);
    if (inPlace) return { kind: 'table', players, values: liveValues(inPlace), unscanned: true, inPlace };
    return unscanned ? { kind: 'table', players, values, unscanned } : { kind: 'table', players, values };
  }
  const takesEvaluator = tableOnly === undefined;
  const expected = takesEvaluator ? '{ players, values } (a value table), { players, evaluate } or a built-in game' : '{ players, values } (a value table) or a built-in game';
  throw new InputError(`game: expected ${expected}, got ${describe(game)}${misspeltKeyHint(game, takesEvaluator)}`);
}

/**
 * Names the key an object likely meant when one is a misspelling of `values`
 * ("vals", "value") or, for a caller that takes evaluator games, of
 * `evaluate` ("evalute"); else ''.
 */
function misspeltKeyHint(game: unknown, takesEvaluator: boolean): string {
  const keys = game && typeof game === 'object' ? Object.keys(game) : [];
  const meant = takesEvaluator ? ['values', 'evaluate'] : ['values'];
  for (const key of keys) {
    const near = nearestName(key, meant);
    if (near !== undefined) return ` (it has ${JSON.stringify(key)}: did you mean ${JSON.stringify(near)}?)`;
  }
  return '';
}

function evaluatorNotTaken(caller: 'banzhaf' | 'interactions'): InputError {
  return new InputError(
    [{
      path: 'evaluate',
      message: `${caller}() takes a value table { players, values } or a built-in game, not an evaluate function (it is exact from all 2^n values); ` +
        'tabulate v(S) for every coalition into values, or use shapley() or owen(), which take { players, evaluate }',
    }],
    'game',
  );
}

function twoSources(): InputError {
  return new InputError(
    [{
      path: 'values',
      message: 'a game holds either builtin (a built-in game) or values (a value table), not both; ' +
        'expected a game made by soumGame, quadraticGame, airportGame or votingGame, or { players, values }',
    }],
    'game',
  );
}

/**
 * The table's values as a Float64Array: a fresh view for a table from
 * createTable, a plain array converted once (internal; also used by owen).
 */
export function valuesOf(game: CheckedGame & { kind: 'table' }): Float64Array {
  if (game.inPlace) return liveValues(game.inPlace);
  if (!(game.values instanceof Float64Array)) game.values = Float64Array.from(game.values);
  return game.values;
}

/**
 * The game with values that stay readable while its reader allocates Wasm
 * memory: a table from createTable is copied out (sampling and pools copy
 * the table anyway); every other game is itself (internal; also used by owen).
 */
export function stableGame(game: CheckedGame): CheckedGame {
  if (game.kind !== 'table' || !game.inPlace) return game;
  return { kind: 'table', players: game.players, values: liveValues(game.inPlace).slice(), unscanned: true, largest: game.largest };
}

function tooManyForExact(n: number): InputError {
  return new InputError(
    `exact values enumerate 2^${n} coalitions; at most ${EXACT_MAX_PLAYERS} players fit in memory. ` +
      `For Shapley values of more players use shapley() with method 'permutation' (or 'auto') and a budget.`,
  );
}

/** The value table of a checked game, scanned, tabulating built-in games (internal). */
export async function tableOf(game: CheckedGame): Promise<Float64Array> {
  if (game.kind === 'table') {
    scanValues(game);
    return valuesOf(game);
  }
  if (game.players.length > EXACT_MAX_PLAYERS) throw tooManyForExact(game.players.length);
  return tabulate(game.game);
}

/** Where an exact pass reads the table: in place, the given values, or a built-in game's tabulation. */
async function sourceOf(game: CheckedGame): Promise<TableSource> {
  if (game.kind === 'table') return game.inPlace ?? game.values;
  return tableOf(game);
}

/**
 * Runs an exact kernel on this thread. A non-finite result of an unscanned
 * table means a NaN or infinity in it (every weight of the pass is positive)
 * or sums that overflow: the table is scanned then, for the InputError that
 * names its first bad entry, else the overflow is reported.
 */
async function checkedPass(game: CheckedGame, kernel: Parameters<typeof exactPass>[0], field = 'values'): Promise<ExactPass> {
  const n = game.players.length;
  const pass = await exactPass(kernel, await sourceOf(game), n);
  if (!Number.isFinite(pass.total) || !pass.values.every(Number.isFinite)) {
    scanValues(game);
    // A plain array was checked before the pass; checked again in case the caller changed it while the call waited.
    if (game.kind === 'table' && !(game.values instanceof Float64Array)) checkFiniteValues(game.values, game.players);
    finiteSums(pass.values, field);
  }
  return pass;
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
  if (isEvaluatorGame(game)) {
    const { players, evaluate, plan } = planEvaluatorRun(game, options as EvaluatorOptions);
    return shapleyOfEvaluator(players, evaluate, plan);
  }
  checkKnownOptions(options, ['method', 'budget', 'seed', 'pool']);
  const pool = checkPool(options as ShapleyOptions);
  const checked = checkGame(game);
  // No options (the common call): the defaults, without the schema's parse.
  const { method = 'auto', budget, seed = 0 } = hasNoKeys(options) ? {} : parseOrThrow(shapleyOptionsSchema, options, 'options');
  const source = checked.kind === 'table' ? 'table' : 'builtin';
  return runPlan(checked, { method: resolveMethod(method, checked.players.length, budget, source), budget, seed }, pool);
}

/** Whether an options object names nothing (inherited names count: the schema reads them too). */
function hasNoKeys(options: object): boolean {
  for (const _ in options) return false;
  return true;
}

/** Runs a validated plan on a checked table or built-in game. */
async function runPlan(checked: CheckedGame, plan: RunPlan, pool?: PoolRunner): Promise<ShapleyResult> {
  const { method, budget, seed } = plan;
  const n = checked.players.length;
  if (method === 'exact') {
    const values = await exactValues(checked, 'shapley', pool);
    return { players: checked.players, values, stderr: null, method: 'exact', evaluations: 2 ** n };
  }
  const spend = budget ?? DEFAULT_BUDGET;
  if (buysEveryCoalition(n, plan, false)) {
    // The budget buys every coalition, so every estimator, permutation
    // included, spends 2^n evaluations on them and is exact (on the pool's
    // exact path when given one).
    const values = await exactValues(checked, 'shapley', pool);
    return { players: checked.players, values, stderr: new Float64Array(n), method, evaluations: 2 ** n };
  }
  scanValues(checked);
  const sampled = stableGame(checked);
  if (method === 'permutation') return permutationShapley(sampled, spend, seed, pool);
  return sampledShapley(sampled, method, spend, seed);
}

/** What the samplers read (a table, or a built-in game's parameters), scaled by a power of two when the values' squares would leave float64. */
function sampledParams(game: CheckedGame): { kindId: number; params: Float64Array; exponent: number } {
  const [kindId, params] = game.kind === 'table' ? [GAME_KIND_ID.table, valuesOf(game)] : [GAME_KIND_ID[game.game.builtin], game.game.params];
  return { kindId, ...scaleGameParams(kindId, params, game.kind === 'table' ? game.largest : undefined) };
}

async function sampledShapley(
  game: CheckedGame, method: WasmMethod, budget: number, seed: number,
): Promise<ShapleyResult> {
  const n = game.players.length;
  const sampler = createWasmSampler(method, await kernelExports(), n, budget, seed);
  try {
    const { kindId, params, exponent } = sampledParams(game);
    sampler.runInWasm(kindId, params);
    const { values, stderr } = unscaleEstimate(sampler.estimate(), exponent);
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
  if (game.kind === 'table') return { kind: 'table', values: valuesOf(game), players: game.players, unscanned: game.unscanned };
  if (forExact && game.players.length > EXACT_MAX_PLAYERS) throw tooManyForExact(game.players.length);
  return { kind: 'builtin', kindId: GAME_KIND_ID[game.game.builtin], params: game.game.params };
}

/** Exact Shapley or Banzhaf values, from the pool's workers (which check an unscanned table) or this thread. */
async function exactValues(game: CheckedGame, index: IndexKind, pool?: PoolRunner): Promise<Float64Array> {
  const n = game.players.length;
  if (pool) return finiteSums(await pool.exact(poolGameOf(stableGame(game), true), n, index));
  return (await checkedPass(game, index === 'shapley' ? 'shapleyExact' : 'banzhafExact')).values;
}

export { finiteSums };

/** Scans a table checkGame left unscanned, before anything but an exact pass reads it (internal; also used by owen). */
export function scanValues(game: CheckedGame): void {
  if (game.kind !== 'table' || !game.unscanned) return;
  const values = valuesOf(game);
  const largest = largestMagnitude(values);
  // NaN: some entry is not finite, and the slow scan names the first.
  if (Number.isNaN(largest)) checkFiniteValues(values, game.players);
  game.largest = largest;
}

async function permutationShapley(game: CheckedGame, budget: number, seed: number, pool?: PoolRunner): Promise<ShapleyResult> {
  const n = game.players.length;
  // Planned before the pool takes over, so that a budget below two pairs is
  // refused the same way on both. One player: a budget of 2 already bought
  // the exact branch, so a smaller one is refused here.
  const plan = planPermutation(n, budget, n <= EXACT_MAX_PLAYERS ? 2 ** n : undefined);
  const { kindId, params, exponent } = sampledParams(game);
  if (pool && n > 1) {
    const scaled: PoolGame | undefined = exponent === 0 ? undefined : game.kind === 'table' ? { kind: 'table', values: params, players: game.players } : { kind: 'builtin', kindId, params };
    const { values, stderr, evaluations } = unscaleEstimate(await pool.permutation(scaled ?? poolGameOf(game, false), n, budget, seed), exponent);
    return { players: game.players, values: finiteSums(values), stderr, method: 'permutation', evaluations };
  }
  const core = await kernelExports();
  const stats = runPermutationBlocks(core, kindId, params, n, seed, 0, plan.blocks, plan.pairs);
  const { values, stderr } = unscaleEstimate(mergeBlockStats(stats, n, plan.pairs), exponent);
  return { players: game.players, values: finiteSums(values), stderr, method: 'permutation', evaluations: plan.evaluations };
}

/**
 * Exact Banzhaf value of each player (every coalition weighted equally), of a
 * table or a built-in game: an evaluator game is an InputError (tabulate its
 * values, or use shapley() or owen()).
 *
 * @example
 * (await banzhaf({ players: ['a', 'b'], values: [0, 1, 1, 3] })).values; // Float64Array [1.5, 1.5]
 */
export async function banzhaf(game: Game, options: { pool?: Pool } = {}): Promise<ShapleyResult> {
  checkKnownOptions(options, ['pool']);
  const pool = checkPool(options ?? {});
  const checked = checkGame(game, 'banzhaf');
  const n = checked.players.length;
  const values = await exactValues(checked, 'banzhaf', pool);
  return { players: checked.players, values, stderr: null, method: 'exact', evaluations: 2 ** n };
}

/**
 * Exact pairwise Shapley interaction index: negative = redundant pair, positive = synergy.
 * Of a table or a built-in game; an evaluator game is an InputError, as in banzhaf().
 *
 * @example
 * const { matrix } = await interactions({ players: ['a', 'b'], values: [0, 1, 1, 3] });
 * matrix; // Float64Array [0, 1, 1, 0]: a and b together earn 1 more than apart
 */
export async function interactions(game: Game): Promise<InteractionResult> {
  const checked = checkGame(game, 'interactions');
  return { players: checked.players, matrix: (await checkedPass(checked, 'interactionsExact')).values };
}
