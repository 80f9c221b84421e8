// The run plan: what shapley() runs, decided once where the options enter
// (attribution/shapley.ts validates them and resolves the method) and passed
// down typed, so nothing below validates or resolves again.
import type { Method } from '../core/schemas.js';
import { EXACT_MAX_PLAYERS } from '../core/table.js';
import { SAMPLED_MAX_BUDGET, WASM_SAMPLER_MAX_PLAYERS } from './wasm-estimators.js';

/** Evaluations of v that sampling spends when `options.budget` is not given. */
export const DEFAULT_BUDGET = 100_000;
/** Built-in games up to this size are tabulated for exact values when no budget says otherwise. */
const AUTO_EXACT_MAX_PLAYERS = 20;
/** Exact enumeration of an evaluator game calls evaluate 2^n times and caches every value: 2^20 is already a million calls. */
export const EVALUATOR_EXACT_MAX_PLAYERS = 20;

/**
 * Fewer players than this and 'auto' samples with svarm, not msr. msr fits
 * its proxy on some folds of the sample and corrects it on the others; with
 * at most 30 coalitions to draw, the coalitions a fold's proxy never saw are
 * nearly all the ones it is corrected on, so the correction is biased (4
 * players, budget 14: a null player's credit off by 0.03, its standard error
 * 0 in a third of the seeds) where svarm is unbiased.
 */
export const MSR_MIN_PLAYERS = 6;

export type ResolvedMethod = Exclude<Method, 'auto'>;

/**
 * Whether a sampling budget buys every coalition, so that a sampler would
 * spend it on all 2^n of them and the exact values cost no more (shapley()
 * and owen() then return those, with zero stderr). A table or built-in game:
 * the budget or its default, up to EXACT_MAX_PLAYERS. An evaluator game:
 * only a budget given, and no tolerance (a caller who sets one accepts a run
 * that stops early, so it samples), up to EVALUATOR_EXACT_MAX_PLAYERS.
 */
export function buysEveryCoalition(n: number, run: { budget?: number; tolerance?: number }, evaluator: boolean): boolean {
  if (!evaluator) return n <= EXACT_MAX_PLAYERS && (run.budget ?? DEFAULT_BUDGET) >= 2 ** n;
  return n <= EVALUATOR_EXACT_MAX_PLAYERS && run.tolerance === undefined && run.budget !== undefined && run.budget >= 2 ** n;
}

/** The sampler 'auto' uses within msr's budget cap: msr, or svarm on games too small for its proxy. */
function stratifiedAuto(n: number): ResolvedMethod {
  return n < MSR_MIN_PLAYERS ? 'svarm' : 'msr';
}

/** Where a game's values come from: a table at hand, a built-in game computed in Wasm, or an evaluator. */
export type GameSource = 'table' | 'builtin' | 'evaluator';

/** A validated run of shapley(): the method resolved, the budget as given (undefined: the default), the seed. */
export interface RunPlan {
  method: ResolvedMethod;
  budget: number | undefined;
  seed: number;
}

/** A validated evaluator run: the run plan and the evaluator options (see EvaluatorOptions). */
export interface EvaluatorRunPlan<Cache = unknown, ProgressCallback = unknown> extends RunPlan {
  concurrency?: number;
  retries?: number;
  retryDelayMs?: number;
  timeoutMs?: number;
  tolerance?: number;
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
  /** The cache as given, adopted for the game's players by the evaluator layer. */
  cache?: Cache;
}

/**
 * What 'auto' runs on a table or a built-in game: exact when the table is at
 * hand or the budget covers every coalition (with no budget, for up to 20
 * players), else msr, the most accurate per evaluation in
 * scripts/bench/estimators.js at every size and budget measured, up to its
 * budget cap (svarm under MSR_MIN_PLAYERS); permutation beyond it.
 */
export function autoMethod(n: number, budget: number | undefined, tableGiven: boolean): ResolvedMethod {
  if (tableGiven) return 'exact';
  if (budget === undefined) return n <= AUTO_EXACT_MAX_PLAYERS ? 'exact' : 'msr';
  if (budget >= 2 ** n && n <= EXACT_MAX_PLAYERS) return 'exact';
  // msr keeps every evaluation in Wasm memory; beyond its cap only permutation sampling scales.
  return budget > SAMPLED_MAX_BUDGET ? 'permutation' : stratifiedAuto(n);
}

/**
 * The one place 'auto' is resolved. Evaluator games: exact when the budget
 * (or the default) covers all 2^n calls for up to 20 players, else msr
 * (svarm under 6 players, permutation beyond 64).
 */
export function resolveMethod(method: Method, n: number, budget: number | undefined, source: GameSource): ResolvedMethod {
  if (method !== 'auto') return method;
  if (source !== 'evaluator') return autoMethod(n, budget, source === 'table');
  if (n <= EVALUATOR_EXACT_MAX_PLAYERS && (budget ?? DEFAULT_BUDGET) >= 2 ** n) return 'exact';
  return n <= WASM_SAMPLER_MAX_PLAYERS ? stratifiedAuto(n) : 'permutation';
}
