// One entry for the sampling estimators whose state lives in Wasm
// (stratified, kernel, svarm, msr): budget checks and construction, shared by
// games held in Wasm (tables, built-ins) and evaluator games.
import { designSampler, proxySettings } from './design-estimators.js';
import { InputError } from '../core/errors.js';
import { PERMUTATION_MAX_BUDGET } from './permutation.js';
import type { Method } from '../core/schemas.js';
import { stratifiedMinimumBudget, stratifiedSampler } from './stratified.js';
import type { KernelExports } from '../core/wasm/module.js';
import type { WasmSampler } from './wasm-sampler.js';

export type WasmMethod = 'stratified' | 'kernel' | 'svarm' | 'msr';

/** Coalitions are u64 masks inside these samplers. */
export const WASM_SAMPLER_MAX_PLAYERS = 64;

/**
 * Most evaluations these samplers take. They keep every evaluated coalition
 * in Wasm memory (mask, value, unit and rank, a hash-set slot, msr's
 * residuals and proxy fit: about 120 bytes each, 1.2 GB at this cap for msr;
 * Wasm memory ends at 4 GiB), and an evaluator run caches every call.
 */
export const SAMPLED_MAX_BUDGET = 10_000_000;

export function isWasmMethod(method: Method): method is WasmMethod {
  return method === 'stratified' || method === 'kernel' || method === 'svarm' || method === 'msr';
}

/** Throws an InputError when the method cannot run with n players on this budget. */
export function checkWasmMethod(method: WasmMethod, n: number, budget: number): void {
  if (n > WASM_SAMPLER_MAX_PLAYERS) {
    throw new InputError(
      `players: method '${method}' takes at most ${WASM_SAMPLER_MAX_PLAYERS} players, got ${n}; use method 'permutation' for more`,
    );
  }
  if (budget > SAMPLED_MAX_BUDGET) {
    throw new InputError(
      `options.budget: method '${method}' takes at most ${SAMPLED_MAX_BUDGET} evaluations (each is kept in Wasm memory), got ${budget}; ` +
        `use method 'permutation' (up to ${PERMUTATION_MAX_BUDGET}) for larger budgets on cheap games`,
    );
  }
  // A budget of 2^n always does: every coalition, exact values.
  const minimum = Math.min(method === 'stratified' ? stratifiedMinimumBudget(n) : 2, 2 ** n);
  if (budget < minimum) {
    const why = method === 'stratified' ? 'one antithetic unit per (player, size) stratum and the exact sizes 0 and n-1' : 'v(empty) and v(N)';
    throw new InputError(
      `budget: method '${method}' with ${n} players needs at least ${minimum} evaluations (${why}), got ${budget}` +
        (method === 'stratified' ? "; method 'msr' or 'kernel' works with less" : ''),
    );
  }
}

/** A sampler for `method` spending at most `budget` distinct evaluations (exactly, but for stratified's last unit). */
export function createWasmSampler(method: WasmMethod, core: KernelExports, n: number, budget: number, seed: number): WasmSampler {
  checkWasmMethod(method, n, budget);
  return method === 'stratified'
    ? stratifiedSampler(core, n, budget, seed)
    : designSampler(method, core, n, budget, seed, proxySettings(n, budget));
}
