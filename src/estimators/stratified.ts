// Stratified marginal sampling (one stratum per player and coalition size,
// antithetic size pairs, greedy Neyman allocation after a pilot); the
// sampling and statistics run in Wasm (assembly/stratified.ts).
import { seedHalves } from './permutation.js';
import type { KernelExports } from '../core/wasm/module.js';
import { WasmSampler } from './wasm-sampler.js';
import { allocatingCall, withWindow } from '../core/wasm/window.js';

/** Antithetic size pairs per player. */
function sizePairs(n: number): number {
  return n >= 3 ? Math.floor((n - 1) / 2) : 0;
}

/**
 * The least budget for one unit per stratum: v(empty), v(N), v({i}) and
 * v(N \ {i}) for the exact sizes, then at most 4 coalitions per stratum.
 */
export function stratifiedMinimumBudget(n: number): number {
  return 2 * n + 2 + 4 * n * sizePairs(n);
}

export function stratifiedSampler(core: KernelExports, n: number, budget: number, seed: number): WasmSampler {
  const [low, high] = seedHalves(seed);
  const state = allocatingCall(`a stratified sampler of ${budget} evaluations over ${n} players`, () => core.stratifiedCreate(n, budget, low, high));
  const ops = {
    ask: core.stratifiedAsk, tell: core.stratifiedTell, masks: core.stratifiedMasks, values: core.stratifiedValues,
    told: core.stratifiedTold, free: core.stratifiedFree,
  };
  return new WasmSampler(core, n, state, ops, (live) =>
    withWindow(core, (window) => {
      const values = window.add(n);
      const stderr = window.add(n);
      core.stratifiedEstimate(live, window.pointer(values), window.pointer(stderr));
      return { values: window.f64(values, n).slice(), stderr: window.f64(stderr, n).slice() };
    }),
  );
}
