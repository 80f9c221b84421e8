// The pool in browsers: module Web Workers running dist/worker.js.
import { InputError } from './errors.js';
import { checkWorkerCount, WorkerPool, type Pool, type PoolOptions, type WorkerHandle } from './pool.js';

/**
 * Starts a Web Worker and serves the pool over a MessageChannel: the port's
 * 'close' event is how a browser tells that the worker died (terminated,
 * crashed, closed itself), which Worker's own events do not.
 */
export function spawnWebWorker(): WorkerHandle {
  const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  const channel = new MessageChannel();
  worker.postMessage(channel.port2, [channel.port2]);
  let onExit: (reason: string) => void = () => {};
  let stopped = false;
  const stop = (reason: string) => {
    if (stopped) return;
    stopped = true;
    onExit(reason);
  };
  channel.port1.addEventListener('close', () => stop('its connection closed'));
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
 */
export function createPool(options: PoolOptions = {}): Pool {
  if (typeof Worker !== 'function') {
    throw new InputError("createPool: this environment has no Web Workers; in Node use: import { createPool } from 'agent-credit/node'");
  }
  const fallback = typeof navigator !== 'undefined' && navigator.hardwareConcurrency > 0 ? navigator.hardwareConcurrency : 4;
  return new WorkerPool(spawnWebWorker, checkWorkerCount(options?.workers, fallback));
}
