// Antithetic permutation sampling of Shapley values.
//
// Each sample is a pair (pi, reverse(pi)); a player's sample is the mean of
// its two marginal contributions. Pairs are grouped into blocks; every block
// draws from its own RNG stream and reports its own mean and sum of squared
// deviations, which the host merges in block order. The result for a seed is
// therefore the same however blocks are split across workers.

import { GAME_TABLE, prefixValues } from '../games/games';
import { seedStream, shuffle } from './rng';

const MAX_PLAYERS: i32 = 64;
const order = memory.data(MAX_PLAYERS * 4, 16);
const forwardValues = memory.data((MAX_PLAYERS + 1) * 8, 16);
const reverseValues = memory.data((MAX_PLAYERS + 1) * 8, 16);
const sample = memory.data(MAX_PLAYERS * 8, 16);

/**
 * Runs blocks [firstBlock, firstBlock + blockCount) of a run of `totalPairs`
 * antithetic pairs split into blocks of `blockPairs`. For each block writes
 * mean[n] then m2[n] (sum of squared deviations) to out, 2n values per block.
 */
export function permutationBlocks(
  kind: i32, params: usize, n: i32,
  seedLow: u32, seedHigh: u32,
  firstBlock: i32, blockCount: i32, blockPairs: i32, totalPairs: i32,
  out: usize,
): void {
  const seed = (<u64>seedHigh << 32) | <u64>seedLow;
  for (let b = 0; b < blockCount; b++) {
    const block = firstBlock + b;
    const start = block * blockPairs;
    const pairs = min(blockPairs, totalPairs - start);
    const mean = out + (<usize>(b * 2 * n) << 3);
    const m2 = mean + (<usize>n << 3);
    memory.fill(mean, 0, <usize>(2 * n) << 3);
    seedStream(seed, <u64>block);
    for (let i = 0; i < n; i++) store<i32>(order + (<usize>i << 2), i);
    for (let p = 0; p < pairs; p++) {
      shuffle(order, n);
      if (kind == GAME_TABLE) {
        tablePairValues(params, n);
      } else {
        prefixValues(kind, params, n, order, 4, forwardValues);
        prefixValues(kind, params, n, order + (<usize>(n - 1) << 2), -4, reverseValues);
      }
      antitheticSample(order, n, forwardValues, reverseValues, sample);
      welfordStep(sample, n, 1.0 / <f64>(p + 1), mean, m2);
    }
  }
}

/**
 * The prefix values of `order` and of its reverse on a table, in one loop:
 * the two prefixes grow from either end, and their table reads (random
 * accesses, mostly cache misses) are independent, so they overlap in
 * flight. The same entries prefixValues reads for each order in turn.
 */
function tablePairValues(table: usize, n: i32): void {
  let forward: u64 = 0;
  let backward: u64 = 0;
  store<f64>(forwardValues, load<f64>(table));
  store<f64>(reverseValues, load<f64>(table));
  for (let k = 0; k < n; k++) {
    forward |= <u64>1 << <u64>load<i32>(order + (<usize>k << 2));
    backward |= <u64>1 << <u64>load<i32>(order + (<usize>(n - 1 - k) << 2));
    store<f64>(forwardValues + (<usize>k << 3), load<f64>(table + (<usize>forward << 3)), 8);
    store<f64>(reverseValues + (<usize>k << 3), load<f64>(table + (<usize>backward << 3)), 8);
  }
}

/**
 * A pair's sample per player: the mean of its marginal contributions in
 * `order` and in reverse(order), from the prefix values of both (n+1 each).
 * Shared with the ask/tell sampler, so both give bit-identical samples.
 * Not inlined: it runs once per pair, over n players.
 */
export function antitheticSample(order: usize, n: i32, forwardValues: usize, reverseValues: usize, sample: usize): void {
  for (let k = 0; k < n; k++) {
    const player = load<i32>(order + (<usize>k << 2));
    const gain = load<f64>(forwardValues + (<usize>k << 3), 8) - load<f64>(forwardValues + (<usize>k << 3));
    store<f64>(sample + (<usize>player << 3), gain);
  }
  for (let k = 0; k < n; k++) {
    const player = load<i32>(order + (<usize>(n - 1 - k) << 2));
    const gain = load<f64>(reverseValues + (<usize>k << 3), 8) - load<f64>(reverseValues + (<usize>k << 3));
    const slot = sample + (<usize>player << 3);
    store<f64>(slot, 0.5 * (load<f64>(slot) + gain));
  }
}

/** Welford update of per-player (mean, m2) with one sample; inverseCount = 1 / samples so far (once per pair, not inlined). */
export function welfordStep(sample: usize, n: i32, inverseCount: f64, mean: usize, m2: usize): void {
  for (let i = 0; i < n; i++) {
    const offset = <usize>i << 3;
    const x = load<f64>(sample + offset);
    const oldMean = load<f64>(mean + offset);
    const delta = x - oldMean;
    const newMean = oldMean + delta * inverseCount;
    store<f64>(mean + offset, newMean);
    store<f64>(m2 + offset, load<f64>(m2 + offset) + delta * (x - newMean));
  }
}
