// The pool in Node: worker_threads running dist/pool/worker.js, spoken to through
// Comlink's Node adapter.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { checkWorkerCount, WorkerPool, type Pool, type PoolOptions, type WorkerHandle } from './pool.js';

export function spawnNodeWorker(): WorkerHandle {
  // Workers inherit the process's flags; --input-type (for `node -e`) would stop one from loading its file.
  const execArgv = process.execArgv.filter((flag) => !flag.startsWith('--input-type'));
  return nodeWorkerHandle(new Worker(new URL('./worker.js', import.meta.url), { execArgv }));
}

/** The pool's view of a worker thread running worker.js: an exit the pool did not ask for is a crash. */
export function nodeWorkerHandle(worker: Worker): WorkerHandle {
  let failure = '';
  let onExit: (reason: string) => void = () => {};
  let terminating = false;
  worker.on('error', (error: unknown) => {
    failure = `: ${error instanceof Error ? error.message : String(error)}`;
  });
  worker.on('exit', (code) => {
    if (!terminating) onExit(`exit code ${code}${failure}`);
  });
  return {
    endpoint: nodeEndpoint(worker),
    onExit(listener) {
      onExit = listener;
    },
    async terminate() {
      terminating = true;
      await worker.terminate();
    },
    busy(busy) {
      if (busy) worker.ref();
      else worker.unref();
    },
  };
}

/**
 * A pool of worker threads (default: os.availableParallelism()) for
 * shapley(game, { pool }) and banzhaf(game, { pool }). Workers with calls to
 * run keep the process alive; idle ones do not, so a forgotten pool does not
 * hold a script open. `pool.terminate()` stops them.
 *
 * @example
 * import { shapley } from 'agent-credit';
 * import { createPool } from 'agent-credit/node';
 *
 * const pool = createPool();
 * const r = await shapley(game, { method: 'exact', pool });
 * await pool.terminate();
 */
export function createPool(options: PoolOptions = {}): Pool {
  return new WorkerPool(spawnNodeWorker, checkWorkerCount(options?.workers, availableParallelism()));
}
