// Antithetic permutation sampling: budget planning, the Wasm block runs, and
// the deterministic merge of per-block statistics.
import { InputError } from '../core/errors.js';
import type { KernelExports } from '../core/wasm/module.js';
import { withWindow } from '../core/wasm/window.js';

/** Pairs per block. Fixed, so a seed gives the same blocks on any number of workers. */
export const BLOCK_PAIRS = 64;

export interface PermutationPlan {
  pairs: number;
  blocks: number;
  /** Evaluations of v the plan spends: v(empty) and v(N) once, n-1 others per permutation. */
  evaluations: number;
}

/** Evaluations an antithetic pair costs beyond v(empty) and v(N). */
export function evaluationsPerPair(n: number): number {
  return 2 * (n - 1);
}

/**
 * Most evaluations permutation sampling takes: the per-block statistics
 * (2n float64 per 64 pairs, about 1/8 byte per evaluation) stay near 130 MB
 * in Wasm memory, the pair count well inside i32, and a cheap game's run
 * near ten seconds.
 */
export const PERMUTATION_MAX_BUDGET = 1_000_000_000;

/**
 * How many antithetic pairs a budget of evaluations buys. Two pairs at least,
 * so the standard error can be estimated; at most PERMUTATION_MAX_BUDGET evaluations.
 * `exactFrom`: the budget from which the caller enumerates every coalition
 * instead (2^n), named in the error when it is below the two pairs: for 2 or
 * 3 players the smallest budget that works.
 */
export function planPermutation(n: number, budget: number, exactFrom?: number): PermutationPlan {
  if (budget > PERMUTATION_MAX_BUDGET) {
    throw new InputError(
      `options.budget: method 'permutation' takes at most ${PERMUTATION_MAX_BUDGET} evaluations (its per-block statistics are kept in Wasm memory), got ${budget}`,
    );
  }
  const perPair = evaluationsPerPair(n);
  const minimum = 2 + 2 * perPair;
  if (budget < minimum) {
    throw new InputError(
      `budget: permutation sampling of ${n} players needs at least ${minimum} evaluations (2 antithetic permutation pairs)` +
        (exactFrom !== undefined && exactFrom < minimum ? `, or ${exactFrom} (2^${n}: every coalition, exact values)` : '') +
        `, got ${budget}`,
    );
  }
  const pairs = Math.floor((budget - 2) / perPair);
  return { pairs, blocks: Math.ceil(pairs / BLOCK_PAIRS), evaluations: 2 + pairs * perPair };
}

/** Splits a run seed (a safe integer) into the two u32 halves the kernel takes. */
export function seedHalves(seed: number): [number, number] {
  return [seed % 2 ** 32 >>> 0, Math.floor(seed / 2 ** 32) >>> 0];
}

/**
 * Runs blocks [firstBlock, firstBlock + blockCount) in Wasm and returns their
 * statistics: per block, mean[n] then m2[n].
 */
export function runPermutationBlocks(
  core: KernelExports, kindId: number, params: Float64Array, n: number, seed: number,
  firstBlock: number, blockCount: number, totalPairs: number,
): Float64Array {
  return withWindow(core, (window) => {
    const paramSlot = window.add(params.length);
    const outSlot = window.add(blockCount * 2 * n);
    window.f64(paramSlot, params.length).set(params);
    const [low, high] = seedHalves(seed);
    core.permutationBlocks(
      kindId, window.pointer(paramSlot), n, low, high,
      firstBlock, blockCount, BLOCK_PAIRS, totalPairs, window.pointer(outSlot),
    );
    return window.f64(outSlot, blockCount * 2 * n).slice();
  });
}

/** Pairs in block b of a run of totalPairs. */
export function blockSize(block: number, totalPairs: number): number {
  return Math.min(BLOCK_PAIRS, totalPairs - block * BLOCK_PAIRS);
}

/**
 * Merges per-block (mean, m2) in block order (Chan et al.'s pairwise update)
 * into estimates and standard errors of the mean over all pairs.
 */
export function mergeBlockStats(stats: Float64Array, n: number, totalPairs: number): { values: Float64Array; stderr: Float64Array } {
  const blocks = Math.ceil(totalPairs / BLOCK_PAIRS);
  const mean = new Float64Array(n);
  const m2 = new Float64Array(n);
  let count = 0;
  for (let b = 0; b < blocks; b++) {
    const size = blockSize(b, totalPairs);
    const base = b * 2 * n;
    const merged = count + size;
    for (let i = 0; i < n; i++) {
      const delta = stats[base + i] - mean[i];
      mean[i] += (delta * size) / merged;
      m2[i] += stats[base + n + i] + (delta * delta * count * size) / merged;
    }
    count = merged;
  }
  const stderr = new Float64Array(n);
  for (let i = 0; i < n; i++) stderr[i] = Math.sqrt(m2[i] / (count - 1) / count);
  return { values: mean, stderr };
}
