// A pool of workers running the Wasm kernels off the calling thread. This
// module is environment-neutral: how a worker is started (Web Worker or
// worker_threads) comes from a SpawnWorker function (start-browser.ts,
// start-node.ts).
import { wrap, transfer, type Endpoint } from 'comlink';
import { InputError, WorkerError } from '../core/errors.js';
import { checkFiniteValues } from '../core/table.js';
import { checkKnownOptions, describe } from '../core/validate.js';
import { INDEX_ID, mergeChunkPartials, planChunks, type IndexKind } from '../core/exact-chunks.js';
import { splitRange } from './split-range.js';
import { mergeBlockStats, planPermutation } from '../estimators/permutation.js';
import type { WorkerApi } from './worker.js';
import type { BuiltinSource, ExactChunksResult, TableSource } from './worker-tasks.js';
import { wasmModule } from '../core/wasm/module.js';
import { sharedExactModule } from '../core/wasm/shared-module.js';
import { returnScratchSlots, sharedTableOf, takeScratchSlots, type SharedTable } from './shared-memory.js';
import { POOL_BRAND, type PoolGame, type PoolOptions, type PoolRunner } from './contract.js';

export type { Pool, PoolOptions } from './contract.js';

/** A started worker, as the pool sees it. */
export interface WorkerHandle {
  /** A Comlink Endpoint, typed loosely: Comlink's own types need the DOM lib, which Node apps type-checking these declarations lack. */
  endpoint: object;
  /** Registers the one listener told when the worker stops on its own (crash, exit, lost port). */
  onExit(listener: (reason: string) => void): void;
  /** Resolves once the worker has stopped, where the platform tells. */
  terminate(): Promise<void> | void;
  /** Told when the worker gets calls to run and when it has none: an idle worker need not keep a Node process alive. */
  busy?(busy: boolean): void;
}

export type SpawnWorker = () => WorkerHandle;

/** The worker's calls, and nothing else (see workerCalls). */
type WorkerCalls = { [K in keyof WorkerApi]: (...args: Parameters<WorkerApi[K]>) => Promise<Awaited<ReturnType<WorkerApi[K]>>> };

/**
 * The worker's API as a plain object of its four calls. A Comlink proxy
 * turns every property read into a message to the worker: a read of a name
 * the worker lacks (JSON.stringify's toJSON, a debugger's or a logger's
 * probe) rejects in a promise no caller holds, which kills a Node process
 * with an unhandled rejection. The proxy itself is reachable from nowhere.
 */
function workerCalls(endpoint: Endpoint): WorkerCalls {
  const remote = wrap<WorkerApi>(endpoint);
  const calls: WorkerCalls = {
    init: (module) => remote.init(module),
    exactChunks: (task) => remote.exactChunks(task),
    exactChunksShared: (task) => remote.exactChunksShared(task),
    permutationStats: (task) => remote.permutationStats(task),
  };
  return Object.freeze(calls);
}

interface Slot {
  index: number;
  handle: WorkerHandle;
  api: WorkerCalls;
  ready: Promise<void>;
  /** Rejecters of the calls in flight on this worker. */
  inFlight: Set<(error: Error) => void>;
}

export const MAX_POOL_WORKERS = 256;
/** Chunks per piece of a table copied to a worker: 8 chunks = 4 MiB. */
const PIECE_CHUNKS = 8;

/** The number of workers createPool's `options` ask for (`fallback` when they do not say); a misspelled option would otherwise give a default pool. */
export function checkPoolOptions(options: unknown, fallback: number): number {
  checkKnownOptions(options, ['workers']);
  const workers = (options as PoolOptions | null | undefined)?.workers;
  if (workers === undefined) return fallback;
  if (typeof workers !== 'number' || !Number.isInteger(workers) || workers < 1 || workers > MAX_POOL_WORKERS) {
    throw new InputError([{ path: 'options.workers', message: `expected an integer from 1 to ${MAX_POOL_WORKERS}, got ${describe(workers)}` }]);
  }
  return workers;
}

function canShare(): boolean {
  return typeof SharedArrayBuffer === 'function';
}

/**
 * Runs exact passes and permutation sampling split across workers. Exact
 * passes are split by chunks of the table (ranges of high-bit blocks),
 * sampling by blocks of pairs; both are merged in a fixed order, so results
 * do not depend on the number of workers.
 */
export class WorkerPool implements PoolRunner {
  readonly [POOL_BRAND] = true as const;
  private readonly slots: Slot[];
  private terminated = false;

  constructor(private readonly spawn: SpawnWorker, readonly size: number) {
    this.slots = Array.from({ length: size }, (_, i) => this.start(i));
  }

  private start(index: number): Slot {
    const handle = this.spawn();
    const slot: Slot = {
      index,
      handle,
      api: workerCalls(handle.endpoint as Endpoint),
      ready: Promise.resolve(),
      inFlight: new Set(),
    };
    // Idle until a call comes (after wrap, whose message listener would otherwise hold a Node process open).
    handle.busy?.(false);
    slot.ready = wasmModule().then((module) => slot.api.init(module));
    slot.ready.catch(() => {});
    handle.onExit((reason) => this.lose(slot, reason));
    return slot;
  }

  /** A worker stopped: its calls reject, and a fresh worker takes its place. */
  private lose(slot: Slot, reason: string): void {
    if (this.slots[slot.index] !== slot) return;
    const error = new WorkerError(
      `agent-credit: pool worker ${slot.index} stopped (${reason}) during a call; the pool has replaced it, so the call can be retried`,
    );
    for (const reject of slot.inFlight) reject(error);
    slot.inFlight.clear();
    slot.handle.terminate();
    if (!this.terminated) this.slots[slot.index] = this.start(slot.index);
  }

  /** Calls `task` on worker `index`; rejects with WorkerError if the worker dies or the pool is terminated first. */
  private call<T>(index: number, task: (api: WorkerCalls) => Promise<T>): Promise<T> {
    if (this.terminated) return Promise.reject(new WorkerError('agent-credit: the pool was terminated; create a new one'));
    const slot = this.slots[index];
    return new Promise<T>((resolve, reject) => {
      slot.inFlight.add(reject);
      if (slot.inFlight.size === 1) slot.handle.busy?.(true);
      slot.ready
        .then(() => task(slot.api))
        .then(resolve, reject)
        .finally(() => {
          slot.inFlight.delete(reject);
          if (slot.inFlight.size === 0) slot.handle.busy?.(false);
        });
    });
  }

  /** What JSON.stringify writes for a pool: its size and state, not its workers' handles. */
  toJSON(): { pool: string; size: number; terminated: boolean } {
    return { pool: 'agent-credit', size: this.size, terminated: this.terminated };
  }

  async terminate(): Promise<void> {
    if (this.terminated) return;
    this.terminated = true;
    const error = new WorkerError('agent-credit: the pool was terminated during a call');
    await Promise.all(
      this.slots.map((slot) => {
        for (const reject of slot.inFlight) reject(error);
        slot.inFlight.clear();
        return slot.handle.terminate();
      }),
    );
  }

  /**
   * Exact Shapley or Banzhaf values, the table split into contiguous chunk
   * ranges, one per worker. A table made by createSharedTable is read by the
   * workers' kernels in place; a table in any other SharedArrayBuffer is
   * read by the workers without a copy between threads, and built-in games
   * are tabulated by the workers themselves. Any other table is copied to the workers in pieces of
   * PIECE_CHUNKS chunks, two pieces in flight per worker: each piece's buffer
   * is transferred (not cloned) and comes back with the piece's results, to
   * carry the next piece. The caller's array is never detached.
   */
  async exact(game: PoolGame, n: number, index: IndexKind): Promise<Float64Array> {
    const values = await this.exactValues(game, n, index);
    if (game.kind === 'table' && game.unscanned) checkUnscannedResult(game.values, game.players, values);
    return values;
  }

  private async exactValues(game: PoolGame, n: number, index: IndexKind): Promise<Float64Array> {
    const plan = planChunks(n);
    const task = (first: number, count: number) => ({ n, index: INDEX_ID[index], firstChunk: first, chunkCount: count });
    const shared = game.kind === 'table' ? sharedTableOf(game.values) : undefined;
    const slots = shared && takeScratchSlots(shared, Math.min(this.size, plan.chunks));
    if (shared && slots) return this.exactInPlace(shared, slots, n, index);
    const perWorker = splitRange(plan.chunks, this.size).map(async (range, w): Promise<ExactChunksResult[]> => {
      if (game.kind === 'builtin') {
        const source: BuiltinSource = { kind: 'builtin', kindId: game.kindId, params: game.params };
        return [await this.call(w, (api) => api.exactChunks({ ...task(range.first, range.count), source }))];
      }
      if (canShare() && game.values.buffer instanceof SharedArrayBuffer) {
        const source: TableSource = { kind: 'table', values: game.values, offset: range.first * plan.chunkEntries };
        return [await this.call(w, (api) => api.exactChunks({ ...task(range.first, range.count), source }))];
      }
      const pieces = splitRange(range.count, Math.ceil(range.count / PIECE_CHUNKS));
      const results: ExactChunksResult[] = new Array(pieces.length);
      let next = 0;
      const lane = async () => {
        let spare: Float64Array | undefined;
        while (next < pieces.length) {
          const k = next++;
          const first = range.first + pieces[k].first;
          const length = pieces[k].count * plan.chunkEntries;
          const values = spare?.length === length ? spare : new Float64Array(length);
          values.set(game.values.subarray(first * plan.chunkEntries, first * plan.chunkEntries + length));
          const source: TableSource = { kind: 'table', values, offset: 0 };
          const result = await this.call(w, (api) => api.exactChunks(transfer({ ...task(first, pieces[k].count), source }, [values.buffer])));
          results[k] = result;
          spare = result.spent;
        }
      };
      await Promise.all([lane(), lane()]);
      return results;
    });
    return mergeResults((await Promise.all(perWorker)).flat(), n, index);
  }

  readsInPlace(values: Float64Array): boolean {
    return sharedTableOf(values) !== undefined;
  }

  /**
   * The exact pass on a table in shared Wasm memory: every worker's kernel
   * reads the table where it lies, with its own scratch slot, taking chunks
   * from a shared counter until none is left. Partial sums are put back in
   * chunk order before merging, so which worker took which chunk never shows
   * in the result. Slots go back to the table only once every worker of the
   * call has settled, and the slot of a worker whose call failed (it crashed
   * or was terminated, perhaps still writing) never does.
   */
  private async exactInPlace(table: SharedTable, slots: number[], n: number, index: IndexKind): Promise<Float64Array> {
    const plan = planChunks(n);
    const counter = new Int32Array(new SharedArrayBuffer(4));
    const module = await sharedExactModule().catch((error: unknown) => {
      returnScratchSlots(table, slots);
      throw error;
    });
    const calls = slots.map((scratch, w) =>
      this.call(w, (api) =>
        api.exactChunksShared({ module, memory: table.memory, tableOffset: table.tableOffset, scratch, n, index: INDEX_ID[index], counter }),
      ),
    );
    void Promise.allSettled(calls).then((outcomes) => returnScratchSlots(table, slots.filter((_, w) => outcomes[w].status === 'fulfilled')));
    const results = await Promise.all(calls).catch((error: unknown) => {
      // The call has failed: the workers still running stop at their next chunk.
      Atomics.store(counter, 0, plan.chunks);
      throw error;
    });
    const partials = new Float64Array(plan.chunks * plan.partialLength);
    for (const { chunks, partials: taken } of results) {
      chunks.forEach((chunk, k) => partials.set(taken.subarray(k * plan.partialLength, (k + 1) * plan.partialLength), chunk * plan.partialLength));
    }
    const values = new Float64Array(table.memory.buffer, table.tableOffset, 2 ** n);
    return mergeChunkPartials(partials, n, index, values[0], values[values.length - 1]).values;
  }

  /**
   * Permutation sampling split by blocks of pairs, one contiguous block range
   * per worker; per-block statistics merged in block order, so the result for
   * a seed is bit-identical to a single thread's. Every worker needs the whole
   * table: it is shared through a SharedArrayBuffer when the platform has one
   * (copied into one if it is not already there), else copied to each worker.
   */
  async permutation(game: PoolGame, n: number, budget: number, seed: number) {
    const plan = planPermutation(n, budget);
    const kindId = game.kind === 'table' ? 0 : game.kindId;
    const params = game.kind === 'table' ? shareable(game.values) : game.params;
    const ranges = splitRange(plan.blocks, this.size);
    const stats = await Promise.all(
      ranges.map((range, w) =>
        this.call(w, (api) =>
          api.permutationStats({ kindId, params, n, seed, firstBlock: range.first, blockCount: range.count, totalPairs: plan.pairs }),
        ),
      ),
    );
    return { ...mergeBlockStats(concat(stats), n, plan.pairs), evaluations: plan.evaluations };
  }
}

// `await using pool = createPool()` terminates the pool at the end of the
// block; defined only where the runtime has the symbol (older browsers lack it).
const asyncDispose = (Symbol as { asyncDispose?: symbol }).asyncDispose;
if (asyncDispose) Object.defineProperty(WorkerPool.prototype, asyncDispose, { value: WorkerPool.prototype.terminate, writable: true, configurable: true });

/** The table where every worker can read it without a copy each, when the platform allows. */
function shareable(values: Float64Array): Float64Array {
  if (!canShare() || values.buffer instanceof SharedArrayBuffer) return values;
  const shared = new Float64Array(new SharedArrayBuffer(values.byteLength));
  shared.set(values);
  return shared;
}

/**
 * For a table whose values were not scanned (readsInPlace): a NaN or infinity
 * in them makes the exact values non-finite, and only then is the table
 * scanned, for the same InputError, naming the entry, that the scan up front
 * would have given. (Finite values whose sums overflow are shapley()'s to report.)
 */
function checkUnscannedResult(table: Float64Array, players: string[], values: Float64Array): void {
  if (!values.every(Number.isFinite)) checkFiniteValues(table, players);
}

/** Chunk results in chunk order, merged into the index values. */
function mergeResults(results: ExactChunksResult[], n: number, index: IndexKind): Float64Array {
  const partials = concat(results.map((r) => r.partials));
  return mergeChunkPartials(partials, n, index, results[0].first, results[results.length - 1].last).values;
}

function concat(parts: Float64Array[]): Float64Array {
  const all = new Float64Array(parts.reduce((total, part) => total + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    all.set(part, offset);
    offset += part.length;
  }
  return all;
}
