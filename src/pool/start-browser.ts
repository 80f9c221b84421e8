// The pool in browsers: module Web Workers running dist/pool/worker.js.
import { InputError } from '../core/errors.js';
import { checkPoolOptions, WorkerPool, type Pool, type PoolOptions, type WorkerHandle } from './pool.js';
import { LOCK_HELD, type BrowserWorkerStart } from './worker-protocol.js';

export function spawnWebWorker(): WorkerHandle {
  return webWorkerHandle(new Worker(new URL('./worker.js', import.meta.url), { type: 'module' }));
}

/**
 * Serves the pool over a MessageChannel to a Web Worker running worker.js.
 * Browsers fire no event when a worker dies (terminated, closed itself, killed
 * for memory), but they release its Web Locks: the worker holds a lock of its
 * own, and the pool's request for it is granted when the worker is gone.
 * Without Web Locks (not a secure context) only the worker's 'error' event
 * tells of a failure.
 */
export function webWorkerHandle(worker: Worker): WorkerHandle {
  const channel = new MessageChannel();
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  const lock = locks ? `agent-credit-worker-${Math.random().toString(36).slice(2)}-${Date.now()}` : null;
  const start: BrowserWorkerStart = { port: channel.port2, lock };
  worker.postMessage(start, [channel.port2]);
  let onExit: (reason: string) => void = () => {};
  let stopped = false;
  const stop = (reason: string) => {
    if (stopped) return;
    stopped = true;
    onExit(reason);
  };
  worker.addEventListener('message', (event) => {
    if (event.data === LOCK_HELD && locks && lock) void locks.request(lock, () => stop('it is gone'));
  });
  worker.addEventListener('error', (event) => {
    event.preventDefault();
    stop(`error: ${event.message || 'the worker script failed'}`);
  });
  worker.addEventListener('messageerror', () => stop('a message could not be read'));
  return {
    endpoint: channel.port1,
    onExit(listener) {
      onExit = listener;
    },
    terminate() {
      stopped = true;
      worker.terminate();
      channel.port1.close();
    },
  };
}

/**
 * A pool of Web Workers (default: navigator.hardwareConcurrency) for
 * shapley(game, { pool }) and banzhaf(game, { pool }). In Node, import
 * createPool from 'agent-credit/node' instead.
 *
 * @example
 * import { shapley } from 'agent-credit';
 * import { createPool } from 'agent-credit/pool';
 *
 * const pool = createPool({ workers: 4 });
 * const r = await shapley(game, { method: 'permutation', budget: 1e6, pool }); // same values as without the pool
 * await pool.terminate();
 */
export function createPool(options: PoolOptions = {}): Pool {
  if (typeof Worker !== 'function') {
    throw new InputError("createPool: this environment has no Web Workers; in Node use: import { createPool } from 'agent-credit/node'");
  }
  const fallback = typeof navigator !== 'undefined' && navigator.hardwareConcurrency > 0 ? navigator.hardwareConcurrency : 4;
  // Disposable through its prototype where the runtime has Symbol.asyncDispose (pool.ts).
  return new WorkerPool(spawnWebWorker, checkPoolOptions(options, fallback)) as WorkerPool & Pool;
}
