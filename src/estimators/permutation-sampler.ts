// Antithetic permutation sampling as a CoalitionSampler: the Wasm core draws
// the permutations and keeps the statistics; the caller supplies values.
import { BLOCK_PAIRS, seedHalves } from './permutation.js';
import { maskWords, type CoalitionSampler, type MaskBatch, type SamplerEstimate } from './ask-tell.js';
import type { KernelExports } from '../core/wasm/module.js';
import { allocateBlock } from '../core/wasm/window.js';

export interface PermutationSamplerOptions {
  /** Antithetic pairs to draw in all (see planPermutation). */
  pairs: number;
  seed: number;
  /** Pairs handed out per ask at most: the batch size a driver evaluates at once. */
  pairsPerAsk: number;
}

/**
 * A permutation sampler over n >= 2 players whose pairs, blocks and per-block
 * RNG streams are those of the table path (runPermutationBlocks): for the same
 * seed and pair count the estimate is bit-identical, whatever the batch sizes.
 * Its state is one Wasm block, freed by dispose().
 */
export function createPermutationSampler(core: KernelExports, n: number, options: PermutationSamplerOptions): CoalitionSampler {
  if (!Number.isInteger(n) || n < 2) throw new RangeError(`permutation sampler: expected n >= 2 players, got ${n}`);
  const words = maskWords(n);
  const state = allocateBlock(core, core.permutationSamplerBytes(n, options.pairsPerAsk));
  const [low, high] = seedHalves(options.seed);
  core.permutationSamplerInit(state, n, low, high, options.pairs, BLOCK_PAIRS, options.pairsPerAsk);
  let pending = 0;
  let disposed = false;

  const checkLive = () => {
    if (disposed) throw new Error('permutation sampler: used after dispose()');
  };

  return {
    players: n,
    ask(max: number): MaskBatch {
      checkLive();
      if (pending > 0) throw new Error(`permutation sampler: ask() called again before tell() of the last ${pending} values`);
      pending = core.permutationSamplerAsk(state, max);
      return new Uint32Array(core.memory.buffer, core.permutationSamplerMasks(state), pending * words).slice();
    },
    tell(values: Float64Array): void {
      checkLive();
      if (values.length !== pending) {
        throw new RangeError(`permutation sampler: tell() expected ${pending} values (one per coalition asked), got ${values.length}`);
      }
      new Float64Array(core.memory.buffer, core.permutationSamplerValues(state), pending).set(values);
      core.permutationSamplerTell(state);
      pending = 0;
    },
    estimate(): SamplerEstimate {
      checkLive();
      const pointer = core.permutationSamplerEstimate(state);
      const both = new Float64Array(core.memory.buffer, pointer, 2 * n).slice();
      return { values: both.subarray(0, n), stderr: both.subarray(n) };
    },
    dispose(): void {
      if (disposed) return;
      disposed = true;
      core.release(state);
    },
  };
}
