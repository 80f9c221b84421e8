// The pool's worker, one module for browsers (a module Web Worker) and Node
// (worker_threads). It instantiates the Wasm Module the pool sends (compiled
// once, on the main thread) and runs the tasks of worker-tasks.ts.
import { expose, transfer } from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { instantiate, type KernelExports } from '../core/wasm/module.js';
import { LOCK_HELD, type BrowserWorkerStart } from './worker-protocol.js';
import { instantiateSharedExact } from '../core/wasm/shared-module.js';
import {
  exactChunks, exactChunksShared, permutationStats,
  type ExactChunksResult, type ExactChunksTask, type PermutationTask, type SharedExactResult, type SharedExactTask,
} from './worker-tasks.js';

let core: KernelExports | undefined;

function kernel(): KernelExports {
  if (!core) throw new Error('agent-credit worker: init(module) was not called');
  return core;
}

const api = {
  async init(module: WebAssembly.Module): Promise<void> {
    core = await instantiate(module);
  },
  /**
   * Partial sums are transferred back, not copied; so is a table piece the
   * pool transferred here, for the pool to fill again with the next piece.
   */
  exactChunks(task: ExactChunksTask): ExactChunksResult & { spent?: Float64Array } {
    const result = exactChunks(kernel(), task);
    const { source } = task;
    if (source.kind === 'table' && !isShared(source.values)) {
      return transfer({ ...result, spent: source.values }, [result.partials.buffer, source.values.buffer]);
    }
    return transfer(result, [result.partials.buffer]);
  },
  /** On a table in shared Wasm memory; a fresh instance per call, so a worker holds no table's memory once the call is done. */
  async exactChunksShared(task: SharedExactTask): Promise<SharedExactResult> {
    const result = exactChunksShared(await instantiateSharedExact(task.module, task.memory), task);
    return transfer(result, [result.partials.buffer, result.chunks.buffer]);
  },
  permutationStats(task: PermutationTask): Float64Array {
    const stats = permutationStats(kernel(), task);
    return transfer(stats, [stats.buffer]);
  },
};

export type WorkerApi = typeof api;

function isShared(values: Float64Array): boolean {
  return typeof SharedArrayBuffer === 'function' && values.buffer instanceof SharedArrayBuffer;
}

declare const WorkerGlobalScope: unknown;

if (typeof WorkerGlobalScope !== 'undefined') {
  addEventListener(
    'message',
    (event) => {
      const { port, lock } = (event as MessageEvent<BrowserWorkerStart>).data;
      if (!lock || typeof navigator === 'undefined' || !navigator.locks) return expose(api, port);
      // Serve only once the lock is held, so no call can run on a worker the pool cannot watch.
      void navigator.locks.request(lock, () => {
        expose(api, port);
        postMessage(LOCK_HELD);
        // Never settled. Its resolver is kept on the global object: a promise
        // nothing refers to can be garbage-collected, which releases the lock
        // (and a module variable never read would be dropped by bundlers).
        return new Promise<void>((resolve) => {
          Object.defineProperty(globalThis, Symbol.for('agent-credit.worker-lock'), { value: resolve });
        });
      });
    },
    { once: true },
  );
} else {
  // Node. The module name is a variable so browser bundles leave it alone.
  const threads = 'node:worker_threads';
  import(/* @vite-ignore */ /* webpackIgnore: true */ threads).then(({ parentPort }) => expose(api, nodeEndpoint(parentPort)));
}
