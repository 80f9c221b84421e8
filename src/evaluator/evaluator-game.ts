// Shapley values of games given by an evaluator function: exact enumeration
// or Wasm permutation sampling, driven through the cache-backed evaluator.
import { adoptCache, type CoalitionCache, type CoalitionCacheJSON } from './coalition-cache.js';
import { InputError } from '../core/errors.js';
import { CachedEvaluator, type Evaluate } from './calls.js';
import { createExactSampler } from '../estimators/exact-sampler.js';
import { evaluationsPerPair, planPermutation } from '../estimators/permutation.js';
import { createPermutationSampler } from '../estimators/permutation-sampler.js';
import { checkWasmMethod, createWasmSampler, isWasmMethod, SAMPLED_MAX_BUDGET } from '../estimators/wasm-estimators.js';
import type { CoalitionSampler, SamplerEstimate } from '../estimators/ask-tell.js';
import { withValueScale } from '../estimators/value-scale.js';
import { driveSampler, type Progress, type StopReason } from './driver.js';
import { evaluatorGameSchema, evaluatorOptionsSchema, type Method } from '../core/schemas.js';
import { buysEveryCoalition, DEFAULT_BUDGET, EVALUATOR_EXACT_MAX_PLAYERS, resolveMethod, type EvaluatorRunPlan } from '../estimators/plan.js';
import { checkKnownOptions, finiteSums, parseOrThrow } from '../core/validate.js';
import { kernelExports } from '../core/wasm/module.js';

/** A game whose v(S) comes from calling `evaluate` with the names of S's players. */
export interface EvaluatorGame {
  players: string[];
  evaluate: Evaluate;
}

/**
 * How {@link shapley} runs an evaluator game: method, budget, stopping rules, concurrency and resuming.
 *
 * @example
 * await shapley(game, { budget: 500, tolerance: 0.01, concurrency: 4, signal: controller.signal, onProgress: console.log });
 */
export interface EvaluatorOptions {
  /**
   * 'exact' calls evaluate for all 2^n coalitions; 'permutation', 'stratified',
   * 'kernel', 'svarm' and 'msr' sample, or enumerate all 2^n coalitions
   * (exact values, zero stderr) when a budget of at least 2^n is given without
   * a tolerance; 'auto' picks exact when the budget covers 2^n, else msr
   * (permutation beyond 64 players).
   */
  method?: Method;
  /** Distinct evaluate calls this run may make (cached coalitions are free); never exceeded. Default 100,000. */
  budget?: number;
  seed?: number;
  /** evaluate calls in flight at most. Default 8. */
  concurrency?: number;
  /**
   * Stop sampling once every standard error is below this. With a tolerance,
   * a budget covering all 2^n coalitions does not make the estimators
   * enumerate them: they sample, and may stop early.
   */
  tolerance?: number;
  /** Stop at once: the run rejects with an AbortError and no further evaluate call starts. */
  signal?: AbortSignal;
  /** Called at most every 100 ms, and once at the end. */
  onProgress?: (progress: Progress) => void;
  /** A call not settled after this many ms fails. */
  timeoutMs?: number;
  /** Further attempts after a failed call. Default 0. */
  retries?: number;
  /** ms to wait before the first retry of a call, doubled before each further one (exponential backoff). Default 0: retry at once. */
  retryDelayMs?: number;
  /** Values already paid for: a previous `result.cache` or `error.cache`, or its JSON form. */
  cache?: CoalitionCache | CoalitionCacheJSON | string;
}

/** The values of an evaluator game, why the run stopped, and the cache of everything evaluated. */
export interface EvaluatorResult {
  players: string[];
  values: Float64Array;
  stderr: Float64Array | null;
  method: Exclude<Method, 'auto'>;
  /** Distinct coalitions evaluate was called for in this run (cache hits are free). */
  evaluations: number;
  /** Why the run stopped: all coalitions done ('complete', exact), budget spent, or tolerance reached. */
  stopReason: 'complete' | StopReason;
  /** Calls of evaluate, retries included. */
  calls: number;
  /** Coalitions answered from the cache. */
  cacheHits: number;
  /** Every coalition evaluated, this run's and the given cache's; JSON-serializable. */
  cache: CoalitionCache;
}

/** Permutation sampling works for any number of players up to this. */
export const EVALUATOR_MAX_PLAYERS = 4096;
export { EVALUATOR_EXACT_MAX_PLAYERS };
/**
 * A run caches every coalition it evaluates (16 bytes and an index slot or
 * two each); the same cap as the Wasm samplers' (SAMPLED_MAX_BUDGET).
 */
export const EVALUATOR_MAX_BUDGET = SAMPLED_MAX_BUDGET;
export const DEFAULT_CONCURRENCY = 8;
/** A run's cache makes room for at most this many coalitions up front; beyond, it grows as it fills. */
const RESERVED_COALITIONS_MAX = 2 ** 20;

/** Evaluator options as validated once where they enter (shapley(), owen()). */
export type ParsedEvaluatorOptions = ReturnType<typeof parseEvaluatorOptions>;

/** Validates evaluator options (their names checked by the caller): schema, then the budget cap. */
export function parseEvaluatorOptions(options: unknown) {
  const parsed = parseOrThrow(evaluatorOptionsSchema, options ?? {}, 'options');
  if (parsed.budget !== undefined && parsed.budget > EVALUATOR_MAX_BUDGET) {
    throw new InputError(`options.budget: an evaluator run makes at most ${EVALUATOR_MAX_BUDGET} calls (each is cached), got ${parsed.budget}`);
  }
  return parsed as typeof parsed & Pick<EvaluatorOptions, 'signal' | 'onProgress' | 'cache'>;
}

/** An evaluator run as shapley() planned it: every option validated, the method resolved. */
export type EvaluatorPlan = EvaluatorRunPlan<EvaluatorOptions['cache'], EvaluatorOptions['onProgress']>;

/**
 * Validates an evaluator game's options, once, and resolves the method: the
 * plan shapleyOfEvaluator runs. Returns the game's players and evaluate too.
 */
export function planEvaluatorRun(game: EvaluatorGame, options: EvaluatorOptions): { players: string[]; evaluate: Evaluate; plan: EvaluatorPlan } {
  const { players, evaluate } = parseOrThrow(evaluatorGameSchema, game, 'game') as EvaluatorGame;
  checkKnownOptions(options, EVALUATOR_OPTIONS);
  const n = players.length;
  if (n > EVALUATOR_MAX_PLAYERS) {
    throw new InputError(`players: evaluator games take at most ${EVALUATOR_MAX_PLAYERS} players, got ${n}`);
  }
  const { method = 'auto', seed = 0, budget, ...rest } = parseEvaluatorOptions(options);
  return { players, evaluate, plan: { ...rest, method: resolveMethod(method, n, budget, 'evaluator'), budget, seed } };
}

export function isEvaluatorGame(game: unknown): game is EvaluatorGame {
  return !!game && typeof game === 'object' && 'evaluate' in game;
}

/** The options evaluator games take (EvaluatorOptions). */
export const EVALUATOR_OPTIONS = ['method', 'budget', 'seed', 'concurrency', 'tolerance', 'signal', 'onProgress', 'timeoutMs', 'retries', 'retryDelayMs', 'cache'] as const;

/**
 * Shapley values of an evaluator game, as planned by planEvaluatorRun (see
 * EvaluatorOptions). The cache is checked against the players before
 * evaluate is called.
 */
export async function shapleyOfEvaluator(players: string[], evaluate: Evaluate, plan: EvaluatorPlan): Promise<EvaluatorResult> {
  const n = players.length;
  const cache = adoptCache(plan.cache, players);
  const { method } = plan;
  const core = await kernelExports();
  // A budget that buys every coalition makes every estimator, permutation
  // included, exact: the run calls evaluate once for each uncached coalition
  // (2^n calls from an empty cache). A tolerance means the caller accepts
  // stopping early, so with one the methods sample as usual (and may stop
  // with 'tolerance' after fewer calls) instead of enumerating everything.
  const coversAll = method !== 'exact' && buysEveryCoalition(n, plan, true);
  if (method === 'exact' || n === 1 || coversAll) {
    checkEnumeration(method, n, plan.budget, cache);
    // The sampler asks all 2^n coalitions; only the uncached ones are paid for.
    const run = await runOnEvaluator(players, evaluate, createExactSampler(core, n), cache, { ...plan, budget: 2 ** n });
    const stderr = method === 'exact' ? null : new Float64Array(n);
    return { ...run, method, stderr, stopReason: 'complete' };
  }
  const budget = plan.budget ?? DEFAULT_BUDGET;
  if (isWasmMethod(method)) {
    checkWasmMethod(method, n, budget);
    const sampler = createWasmSampler(method, core, n, budget, plan.seed);
    // Stratified sizes its own batches (its allocation reads the variances at
    // batch ends, so the same seed gives the same values on any game); the
    // design methods' samples do not depend on batching.
    if (method !== 'stratified') sampler.batchFloor = Math.max(64, 4 * (plan.concurrency ?? DEFAULT_CONCURRENCY));
    const run = await runOnEvaluator(players, evaluate, withValueScale(sampler), cache, { ...plan, budget });
    return { ...run, method };
  }
  const permutation = planPermutation(n, budget, n <= EVALUATOR_EXACT_MAX_PLAYERS && plan.tolerance === undefined ? 2 ** n : undefined);
  const concurrency = plan.concurrency ?? DEFAULT_CONCURRENCY;
  const pairsPerAsk = Math.max(1, Math.ceil(Math.max(64, 4 * concurrency) / evaluationsPerPair(n)));
  const sampler = createPermutationSampler(core, n, { pairs: permutation.pairs, seed: plan.seed, pairsPerAsk });
  const run = await runOnEvaluator(players, evaluate, withValueScale(sampler), cache, { ...plan, budget });
  return { ...run, method: 'permutation' };
}

/**
 * Refuses to enumerate all 2^n coalitions of an evaluator game beyond 20
 * players, or on a budget that cannot pay for them. Cached coalitions are
 * free, so a budget below 2^n that covers the uncached ones is enough. One
 * place for shapley() and owen(), so both decide alike and say it alike.
 */
export function checkEnumeration(method: string, n: number, budget: number | undefined, cache: CoalitionCache): void {
  if (n > EVALUATOR_EXACT_MAX_PLAYERS) {
    throw new InputError(
      `method 'exact' calls evaluate for all 2^${n} coalitions; evaluator games allow it up to ${EVALUATOR_EXACT_MAX_PLAYERS} players. ` +
        `Use method 'permutation' with a budget (and a tolerance).`,
    );
  }
  const needed = 2 ** n - cache.size;
  if (budget !== undefined && budget < needed) {
    throw new InputError(
      `options.budget: method '${method}' needs ${needed} more evaluate calls (2^${n} coalitions, ${cache.size} cached), got a budget of ${budget}. ` +
        (method === 'exact' && n > 1 ? `Raise the budget or use method 'permutation'.` : 'Raise the budget.'),
    );
  }
}

export interface EvaluatorRun {
  players: string[];
  values: Float64Array;
  stderr: Float64Array | null;
  stopReason: StopReason;
  evaluations: number;
  calls: number;
  cacheHits: number;
  cache: CoalitionCache;
}

/**
 * Runs any CoalitionSampler over `players` on an evaluator: cache, bounded
 * concurrency, timeout, retries, budget, tolerance, abort and progress as in
 * EvaluatorOptions (`budget` is required here: the caller plans with it).
 * Disposes the sampler. Rejections carry `cache` (EvaluatorError, AbortError)
 * so nothing already paid for is lost.
 */
export async function runOnEvaluator(
  players: string[], evaluate: Evaluate, sampler: CoalitionSampler, cache: CoalitionCache,
  options: Omit<EvaluatorPlan, 'method' | 'seed' | 'budget'> & { budget: number },
): Promise<EvaluatorRun> {
  // Room for what the run may pay for, up to 2^20 coalitions (24 MiB): a run stopped early by its tolerance does not hold much more.
  cache.reserve(Math.min(options.budget, RESERVED_COALITIONS_MAX));
  const source = new CachedEvaluator(players, evaluate, cache, {
    concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
    retries: options.retries ?? 0,
    retryDelayMs: options.retryDelayMs,
    timeoutMs: options.timeoutMs,
  });
  let outcome: { estimate: SamplerEstimate; stopReason: StopReason };
  try {
    outcome = await driveSampler(sampler, source, {
      budget: options.budget,
      tolerance: options.tolerance,
      signal: options.signal,
      onProgress: options.onProgress,
    });
  } catch (error) {
    source.stop();
    if (error instanceof DOMException && error.name === 'AbortError') Object.assign(error, { cache });
    throw error;
  } finally {
    sampler.dispose();
  }
  const { estimate, stopReason } = outcome;
  // Finite evaluate results near the largest double can still overflow the kernels' sums.
  return {
    players, values: finiteSums(estimate.values), stderr: estimate.stderr, stopReason,
    evaluations: source.evaluations, calls: source.calls, cacheHits: source.cacheHits, cache,
  };
}
