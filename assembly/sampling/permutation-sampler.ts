// Antithetic permutation sampling driven from outside (ask/tell), for games
// whose values come from the host: an evaluator called per coalition.
//
// The permutations, RNG and running statistics stay here. Pairs are drawn
// exactly as permutationBlocks draws them (blocks of `blockPairs` pairs, one
// RNG stream per block, the order reset at each block start) and their
// statistics are merged block by block in the host's order, so for the same
// seed and plan this sampler gives bit-identical results to the table path.
//
// All state lives in one block the host allocates (permutationSamplerBytes)
// and frees; nothing here allocates.

import { antitheticSample, welfordStep } from './permutation';
import { loadStream, saveStream, seedStream, shuffle } from './rng';

// Header fields (byte offsets).
const N = 0;
const WORDS = 4;
const BLOCK_PAIRS = 8;
const PAIRS_PER_ASK = 12;
const SEED = 16;
const TOTAL_PAIRS = 24;
const NEXT_PAIR = 32;
const TOLD_PAIRS = 40;
const PENDING_PAIRS = 48;
const PENDING_FIXED = 52;
const FIXED_ASKED = 56;
const EMPTY_VALUE = 64;
const FULL_VALUE = 72;
const RNG = 80;
const MERGED_COUNT = 112;
const HEADER_BYTES: usize = 128;

// Sections after the header, in order.
const ORDER = 0; // i32 x n: the permutation, carried from pair to pair within a block
const PENDING = 1; // i32 x n per asked pair: the orders awaiting their values
const MASKS = 2; // u32 x words per coalition of the last ask
const VALUES = 3; // f64 per coalition of the last ask, written by the host
const FORWARD = 4; // f64 x (n+1): prefix values
const REVERSE = 5; // f64 x (n+1)
const SAMPLE = 6; // f64 x n
const BLOCK_MEAN = 7;
const BLOCK_M2 = 8;
const TOTAL_MEAN = 9;
const TOTAL_M2 = 10;
const ESTIMATE = 11; // f64 x 2n: values then standard errors
const SCRATCH = 12; // u32 x words: the prefix mask being built
const END = 13;

function batchCapacity(n: i32, pairsPerAsk: i32): usize {
  return <usize>pairsPerAsk * <usize>(2 * (n - 1)) + 2;
}

function sectionBytes(section: i32, n: i32, words: i32, pairsPerAsk: i32): usize {
  switch (section) {
    case ORDER: return <usize>n << 2;
    case PENDING: return <usize>pairsPerAsk * <usize>n << 2;
    case MASKS: return batchCapacity(n, pairsPerAsk) * <usize>words << 2;
    case VALUES: return batchCapacity(n, pairsPerAsk) << 3;
    case FORWARD:
    case REVERSE: return <usize>(n + 1) << 3;
    case ESTIMATE: return <usize>(2 * n) << 3;
    case SCRATCH: return <usize>words << 2;
    default: return <usize>n << 3;
  }
}

function offsetOf(section: i32, n: i32, words: i32, pairsPerAsk: i32): usize {
  let offset = HEADER_BYTES;
  for (let s = 0; s < section; s++) offset += (sectionBytes(s, n, words, pairsPerAsk) + 15) & ~15;
  return offset;
}

function section(state: usize, which: i32): usize {
  return state + offsetOf(which, load<i32>(state + N), load<i32>(state + WORDS), load<i32>(state + PAIRS_PER_ASK));
}

/** Bytes of state for n players (n >= 2) asking at most pairsPerAsk pairs at a time. */
export function permutationSamplerBytes(n: i32, pairsPerAsk: i32): usize {
  return offsetOf(END, n, (n + 31) >> 5, pairsPerAsk);
}

/** Prepares a sampler of `totalPairs` antithetic pairs in blocks of `blockPairs`. */
export function permutationSamplerInit(
  state: usize, n: i32, seedLow: u32, seedHigh: u32, totalPairs: f64, blockPairs: i32, pairsPerAsk: i32,
): void {
  memory.fill(state, 0, permutationSamplerBytes(n, pairsPerAsk));
  store<i32>(state + N, n);
  store<i32>(state + WORDS, (n + 31) >> 5);
  store<i32>(state + BLOCK_PAIRS, blockPairs);
  store<i32>(state + PAIRS_PER_ASK, pairsPerAsk);
  store<u64>(state + SEED, (<u64>seedHigh << 32) | <u64>seedLow);
  store<i64>(state + TOTAL_PAIRS, <i64>totalPairs);
}

/** Where the masks of the last ask are (u32 x words each). */
export function permutationSamplerMasks(state: usize): usize {
  return section(state, MASKS);
}

/** Where the host writes the values of the last ask before telling. */
export function permutationSamplerValues(state: usize): usize {
  return section(state, VALUES);
}

function writeMask(scratch: usize, words: i32, to: usize): void {
  memory.copy(to, scratch, <usize>words << 2);
}

function setBit(scratch: usize, player: i32): void {
  const word = scratch + (<usize>(player >> 5) << 2);
  store<u32>(word, load<u32>(word) | (<u32>1 << <u32>(player & 31)));
}

/**
 * Draws the next whole pairs that fit in `max` coalitions (v(empty) and v(N)
 * come first, once) and writes their coalitions' masks; returns how many.
 * Per pair: the n-1 proper prefixes of the order, then of its reverse.
 */
export function permutationSamplerAsk(state: usize, max: f64): i32 {
  const n = load<i32>(state + N);
  const words = load<i32>(state + WORDS);
  const blockPairs = load<i32>(state + BLOCK_PAIRS);
  const perPair = 2 * (n - 1);
  const fixed = load<i32>(state + FIXED_ASKED) == 0 ? 2 : 0;
  const left = load<i64>(state + TOTAL_PAIRS) - load<i64>(state + NEXT_PAIR);
  let pairs = <i64>load<i32>(state + PAIRS_PER_ASK);
  if (left < pairs) pairs = left;
  const affordable = <i64>Math.floor((max - <f64>fixed) / <f64>perPair);
  if (affordable < pairs) pairs = affordable;
  if (pairs <= 0) return 0;

  const order = section(state, ORDER);
  const pending = section(state, PENDING);
  const scratch = section(state, SCRATCH);
  const maskBytes = <usize>words << 2;
  let masks = section(state, MASKS);
  if (fixed) {
    memory.fill(masks, 0, maskBytes);
    masks += maskBytes;
    memory.fill(scratch, 0, maskBytes);
    for (let i = 0; i < n; i++) setBit(scratch, i);
    writeMask(scratch, words, masks);
    masks += maskBytes;
    store<i32>(state + FIXED_ASKED, 1);
  }
  loadStream(state + RNG);
  let next = load<i64>(state + NEXT_PAIR);
  for (let p = 0; p < <i32>pairs; p++, next++) {
    if (next % <i64>blockPairs == 0) {
      seedStream(load<u64>(state + SEED), <u64>(next / <i64>blockPairs));
      for (let i = 0; i < n; i++) store<i32>(order + (<usize>i << 2), i);
    }
    shuffle(order, n);
    memory.copy(pending + (<usize>(p * n) << 2), order, <usize>n << 2);
    memory.fill(scratch, 0, maskBytes);
    for (let k = 0; k < n - 1; k++) {
      setBit(scratch, load<i32>(order + (<usize>k << 2)));
      writeMask(scratch, words, masks);
      masks += maskBytes;
    }
    memory.fill(scratch, 0, maskBytes);
    for (let k = 0; k < n - 1; k++) {
      setBit(scratch, load<i32>(order + (<usize>(n - 1 - k) << 2)));
      writeMask(scratch, words, masks);
      masks += maskBytes;
    }
  }
  saveStream(state + RNG);
  store<i64>(state + NEXT_PAIR, next);
  store<i32>(state + PENDING_PAIRS, <i32>pairs);
  store<i32>(state + PENDING_FIXED, fixed);
  return fixed + <i32>pairs * perPair;
}

/** Merges a block's (mean, m2) over `size` pairs into the running totals over `count` pairs (Chan et al.). */
function mergeBlock(n: i32, blockMean: usize, blockM2: usize, size: f64, count: f64, mean: usize, m2: usize): void {
  const merged = count + size;
  for (let i = 0; i < n; i++) {
    const offset = <usize>i << 3;
    const delta = load<f64>(blockMean + offset) - load<f64>(mean + offset);
    store<f64>(mean + offset, load<f64>(mean + offset) + (delta * size) / merged);
    store<f64>(m2 + offset, load<f64>(m2 + offset) + (load<f64>(blockM2 + offset) + (delta * delta * count * size) / merged));
  }
}

/** Takes the values of the last ask (written at permutationSamplerValues) and updates the statistics. */
export function permutationSamplerTell(state: usize): void {
  const n = load<i32>(state + N);
  const blockPairs = <i64>load<i32>(state + BLOCK_PAIRS);
  const totalPairs = load<i64>(state + TOTAL_PAIRS);
  const pairs = load<i32>(state + PENDING_PAIRS);
  let values = section(state, VALUES);
  if (load<i32>(state + PENDING_FIXED)) {
    store<f64>(state + EMPTY_VALUE, load<f64>(values));
    store<f64>(state + FULL_VALUE, load<f64>(values, 8));
    values += 16;
  }
  const empty = load<f64>(state + EMPTY_VALUE);
  const full = load<f64>(state + FULL_VALUE);
  const pending = section(state, PENDING);
  const forward = section(state, FORWARD);
  const reverse = section(state, REVERSE);
  const sample = section(state, SAMPLE);
  const blockMean = section(state, BLOCK_MEAN);
  const blockM2 = section(state, BLOCK_M2);
  const last = <usize>n << 3;
  let told = load<i64>(state + TOLD_PAIRS);
  for (let p = 0; p < pairs; p++, told++) {
    const inBlock = told % blockPairs;
    if (inBlock == 0) {
      memory.fill(blockMean, 0, <usize>n << 3);
      memory.fill(blockM2, 0, <usize>n << 3);
    }
    store<f64>(forward, empty);
    store<f64>(reverse, empty);
    memory.copy(forward + 8, values, <usize>(n - 1) << 3);
    values += <usize>(n - 1) << 3;
    memory.copy(reverse + 8, values, <usize>(n - 1) << 3);
    values += <usize>(n - 1) << 3;
    store<f64>(forward + last, full);
    store<f64>(reverse + last, full);
    antitheticSample(pending + (<usize>(p * n) << 2), n, forward, reverse, sample);
    welfordStep(sample, n, 1.0 / <f64>(inBlock + 1), blockMean, blockM2);
    const block = told / blockPairs;
    const blockSize = min(blockPairs, totalPairs - block * blockPairs);
    if (inBlock + 1 == blockSize) {
      const count = load<f64>(state + MERGED_COUNT);
      mergeBlock(n, blockMean, blockM2, <f64>blockSize, count, section(state, TOTAL_MEAN), section(state, TOTAL_M2));
      store<f64>(state + MERGED_COUNT, count + <f64>blockSize);
    }
  }
  store<i64>(state + TOLD_PAIRS, told);
  store<i32>(state + PENDING_PAIRS, 0);
  store<i32>(state + PENDING_FIXED, 0);
}

/**
 * Writes the current estimate (values[n], then standard errors[n]; +Infinity
 * below two pairs, where the variance is unknown) and returns where it is.
 * Pairs of an unfinished block are merged into a copy, so the totals stay
 * those of whole blocks.
 */
export function permutationSamplerEstimate(state: usize): usize {
  const n = load<i32>(state + N);
  const estimate = section(state, ESTIMATE);
  const mean = estimate;
  const m2 = estimate + (<usize>n << 3);
  memory.copy(mean, section(state, TOTAL_MEAN), <usize>n << 3);
  memory.copy(m2, section(state, TOTAL_M2), <usize>n << 3);
  let count = load<f64>(state + MERGED_COUNT);
  const partial = <f64>(load<i64>(state + TOLD_PAIRS) - <i64>count);
  if (partial > 0) {
    mergeBlock(n, section(state, BLOCK_MEAN), section(state, BLOCK_M2), partial, count, mean, m2);
    count += partial;
  }
  for (let i = 0; i < n; i++) {
    const slot = m2 + (<usize>i << 3);
    store<f64>(slot, count < 2 ? Infinity : Math.sqrt(load<f64>(slot) / (count - 1) / count));
  }
  return estimate;
}
