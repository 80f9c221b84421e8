// The work a pool worker does, as plain functions over the Wasm core (run
// in workers by worker.ts; callable in any thread).
import { planChunks } from '../core/exact-chunks.js';
import { runPermutationBlocks } from '../estimators/permutation.js';
import type { KernelExports } from '../core/wasm/module.js';
import type { SharedExactExports } from '../core/wasm/shared-module.js';
import { withWindow } from '../core/wasm/window.js';

/** Table values for a range of chunks: `values[offset]` is v(first mask of the range). */
export interface TableSource {
  kind: 'table';
  values: Float64Array;
  offset: number;
}

/** A built-in game, tabulated chunk by chunk inside the worker. */
export interface BuiltinSource {
  kind: 'builtin';
  kindId: number;
  params: Float64Array;
}

export interface ExactChunksTask {
  n: number;
  /** 0 = Shapley, 1 = Banzhaf (INDEX_ID). */
  index: number;
  firstChunk: number;
  chunkCount: number;
  source: TableSource | BuiltinSource;
}

export interface ExactChunksResult {
  /** chunkCount partial sums of planChunks(n).partialLength values each. */
  partials: Float64Array;
  /** v of the range's first and last masks (v(empty) and v(N) for the first and last range). */
  first: number;
  last: number;
}

/** Partial sums of chunks [firstChunk, firstChunk + chunkCount), streaming one chunk at a time through Wasm memory. */
export function exactChunks(core: KernelExports, task: ExactChunksTask): ExactChunksResult {
  const { n, index, firstChunk, chunkCount, source } = task;
  const plan = planChunks(n);
  const partials = new Float64Array(chunkCount * plan.partialLength);
  let first = 0;
  let last = 0;
  withWindow(core, (window) => {
    const data = window.add(plan.chunkEntries);
    const out = window.add(plan.partialLength);
    const params = source.kind === 'builtin' ? window.add(source.params.length) : -1;
    if (source.kind === 'builtin') window.f64(params, source.params.length).set(source.params);
    for (let c = 0; c < chunkCount; c++) {
      const chunk = firstChunk + c;
      if (source.kind === 'table') {
        const start = source.offset + c * plan.chunkEntries;
        window.f64(data, plan.chunkEntries).set(source.values.subarray(start, start + plan.chunkEntries));
      } else {
        core.tabulateRange(source.kindId, window.pointer(params), n, chunk * plan.chunkEntries, plan.chunkEntries, window.pointer(data));
      }
      const values = window.f64(data, plan.chunkEntries);
      if (c === 0) first = values[0];
      if (c === chunkCount - 1) last = values[plan.chunkEntries - 1];
      core.membershipChunk(window.pointer(data), n, chunk * plan.chunkBlocks, plan.chunkBlocks, index, window.pointer(out), 0);
      partials.set(window.f64(out, plan.partialLength), c * plan.partialLength);
    }
  });
  return { partials, first, last };
}

/**
 * The exact pass over a table in shared Wasm memory (shared-memory.ts),
 * read in place. Workers take chunks one at a time from a shared counter, so
 * a worker slowed by other load takes fewer: the work spreads over whatever
 * the cores can give.
 */
export interface SharedExactTask {
  /** The compiled assembly/shared-exact.ts, instantiated on `memory` for this call. */
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  /** Byte offset of v(empty). */
  tableOffset: number;
  /** Byte offset of this worker's scratch slot. */
  scratch: number;
  n: number;
  index: number;
  /** Next chunk to take, shared by the workers of one call (Atomics.add). */
  counter: Int32Array;
}

export interface SharedExactResult {
  /** The chunks this worker took, in the order it took them. */
  chunks: Int32Array;
  /** Their partial sums, planChunks(n).partialLength values each, in the same order. */
  partials: Float64Array;
}

/** Takes chunks from the shared counter until none is left; the same kernel code as exactChunks, so the same partial sums bit for bit. */
export function exactChunksShared(core: SharedExactExports, task: SharedExactTask): SharedExactResult {
  const { memory, tableOffset, scratch, n, index, counter } = task;
  const plan = planChunks(n);
  const out = scratch + core.scratchBytes(n);
  const taken: number[] = [];
  const partials = new Float64Array(plan.chunks * plan.partialLength);
  core.prepareMembership(n, index, scratch);
  const outView = new Float64Array(memory.buffer, out, plan.partialLength);
  for (let chunk = Atomics.add(counter, 0, 1); chunk < plan.chunks; chunk = Atomics.add(counter, 0, 1)) {
    core.membershipChunkShared(tableOffset + chunk * plan.chunkEntries * 8, n, chunk * plan.chunkBlocks, plan.chunkBlocks, index, scratch, out);
    partials.set(outView, taken.length * plan.partialLength);
    taken.push(chunk);
  }
  return { chunks: Int32Array.from(taken), partials: partials.slice(0, taken.length * plan.partialLength) };
}

export interface PermutationTask {
  kindId: number;
  /** The table (kind 0) or the built-in game's parameters. */
  params: Float64Array;
  n: number;
  seed: number;
  firstBlock: number;
  blockCount: number;
  totalPairs: number;
}

/** Per-block (mean, m2) of blocks [firstBlock, firstBlock + blockCount): see runPermutationBlocks. */
export function permutationStats(core: KernelExports, task: PermutationTask): Float64Array {
  const { kindId, params, n, seed, firstBlock, blockCount, totalPairs } = task;
  return runPermutationBlocks(core, kindId, params, n, seed, firstBlock, blockCount, totalPairs);
}
