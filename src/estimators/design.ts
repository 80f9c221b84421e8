// The paired size-class design behind the kernel, svarm and msr estimators,
// host side: how a budget is spread over coalition sizes, and the
// CoalitionSampler that hands out the design's coalitions (state in Wasm,
// assembly/design.ts) and turns their values into estimates.
import { seedHalves } from './permutation.js';
import type { SamplerEstimate } from './ask-tell.js';
import type { KernelExports } from '../core/wasm/module.js';
import { WasmSampler, type SamplerOps } from './wasm-sampler.js';
import { allocatingCall, withWindow } from '../core/wasm/window.js';

export interface DesignPlan {
  /** Units (a coalition and its complement) per class pair {s, n-s}, s = 0..floor(n/2); entry 0 unused. */
  units: Int32Array;
  /** 1 where the whole class pair is enumerated. */
  enumerate: Int32Array;
  /** Size of one extra unpaired coalition when the budget is odd, else -1. */
  single: number;
  /** Coalitions the plan evaluates: v(empty), v(N), two per unit, the single one. */
  evaluations: number;
}

export function binomial(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let result = 1;
  for (let j = 1; j <= Math.min(k, n - k); j++) result = (result * (n - Math.min(k, n - k) + j)) / j;
  return Math.round(result);
}

/** Units a class pair holds: C(n, s), or half of it when s = n/2 (S and its complement share the class). */
function pairCapacity(n: number, s: number): number {
  return 2 * s === n ? binomial(n, s) / 2 : binomial(n, s);
}

/**
 * Spreads `budget` evaluations over sizes in proportion to `weight(s)` (the
 * share of coalitions of size s): v(empty) and v(N) first, then whole units.
 * A class pair whose share would reach its size is enumerated and the rest is
 * spread again, so small classes (sizes 1 and n-1 first) are taken exactly.
 */
export function planDesign(n: number, budget: number, weight: (s: number) => number): DesignPlan {
  const half = Math.floor(n / 2);
  const units = new Int32Array(half + 1);
  const enumerate = new Int32Array(half + 1);
  const pairWeight = (s: number) => (2 * s === n ? weight(s) : weight(s) + weight(n - s));
  const open = new Set<number>();
  for (let s = 1; s <= half; s++) open.add(s);
  let left = Math.max(0, budget - 2);
  for (let grew = true; grew && open.size > 0; ) {
    grew = false;
    const total = [...open].reduce((sum, s) => sum + pairWeight(s), 0);
    const spend = Math.floor(left / 2);
    for (const s of open) {
      if ((spend * pairWeight(s)) / total >= pairCapacity(n, s)) {
        units[s] = pairCapacity(n, s);
        enumerate[s] = 1;
        left -= 2 * units[s];
        open.delete(s);
        grew = true;
        break;
      }
    }
  }
  if (open.size > 0) {
    const spend = Math.floor(left / 2);
    const total = [...open].reduce((sum, s) => sum + pairWeight(s), 0);
    const shares = [...open].map((s) => ({ s, share: (spend * pairWeight(s)) / total }));
    let given = 0;
    for (const { s, share } of shares) {
      units[s] = Math.floor(share);
      given += units[s];
    }
    shares.sort((a, b) => (b.share % 1) - (a.share % 1) || a.s - b.s);
    for (let k = 0; given < spend; k++, given++) units[shares[k % shares.length].s]++;
    left -= 2 * spend;
    // Rounding up can fill a class pair: it is then enumerated, and no longer open to the single coalition below.
    for (const s of [...open]) {
      if (units[s] >= pairCapacity(n, s)) {
        units[s] = pairCapacity(n, s);
        enumerate[s] = 1;
        open.delete(s);
      }
    }
  }
  // The odd evaluation: one more coalition of the heaviest size among the pairs with a coalition left (below
  // 2^n some pair always has one). A full pair would be drawn from forever: the sampler draws until it finds a new mask.
  let single = -1;
  if (left === 1 && open.size > 0) {
    single = [...open].reduce((best, s) => (weight(s) > weight(best) ? s : best));
    left = 0;
  }
  return { units, enumerate, single, evaluations: Math.min(budget, 2) + (Math.max(0, budget - 2) - left) };
}

/** Turns the told coalitions of a design into estimates. */
export type DesignEstimator = (core: KernelExports, state: number, n: number) => SamplerEstimate;

/** A CoalitionSampler over a paired size-class design. */
export class DesignSampler extends WasmSampler {
  constructor(core: KernelExports, players: number, readonly plan: DesignPlan, seed: number, estimator: DesignEstimator) {
    const [low, high] = seedHalves(seed);
    const state = withWindow(core, (window) => {
      const units = window.add(plan.units.length, 4);
      const enumerate = window.add(plan.enumerate.length, 4);
      window.i32(units, plan.units.length).set(plan.units);
      window.i32(enumerate, plan.enumerate.length).set(plan.enumerate);
      return allocatingCall(`a sampler of ${plan.evaluations} evaluations over ${players} players`, () => core.designCreate(
        players, Math.max(plan.evaluations, 1), low, high, window.pointer(units), window.pointer(enumerate), plan.single,
      ));
    });
    const ops: SamplerOps = {
      ask: core.designAsk, tell: core.designTell, masks: core.designMasks, values: core.designValues,
      told: core.designTold, free: core.designFree,
    };
    super(core, players, state, ops, (live) => estimator(core, live, players));
  }
}
