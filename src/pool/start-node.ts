// The pool in Node: worker_threads running dist/pool/worker.js, spoken to through
// Comlink's Node adapter.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { checkPoolOptions, WorkerPool, type Pool, type PoolOptions, type WorkerHandle } from './pool.js';

export function spawnNodeWorker(): WorkerHandle {
  const url = new URL('./worker.js', import.meta.url);
  try {
    return nodeWorkerHandle(new Worker(url, { execArgv: workerFlags() }));
  } catch (error) {
    if ((error as { code?: string }).code !== 'ERR_WORKER_INVALID_EXEC_ARGV') throw error;
    accepted = acceptedFlags(workerFlags());
    return nodeWorkerHandle(new Worker(url, { execArgv: accepted }));
  }
}

/** The process's flags that workers take, once known (after a worker refused the full list). */
let accepted: string[] | undefined;

/**
 * Workers inherit the process's flags, except --input-type (for `node -e`),
 * which would stop one from loading its file. Flags a worker refuses
 * (per-process and V8 flags such as --max-old-space-size, --expose-gc or
 * --stack-size: ERR_WORKER_INVALID_EXEC_ARGV) already act on the whole
 * process and are dropped.
 */
function workerFlags(): string[] {
  return accepted ?? process.execArgv.filter((flag) => !flag.startsWith('--input-type'));
}

/** The flags among `flags` a worker accepts, each option (with any separate argument) tried alone in a worker that exits at once. */
function acceptedFlags(flags: string[]): string[] {
  const options: string[][] = [];
  for (const flag of flags) {
    if (flag.startsWith('-') || options.length === 0) options.push([flag]);
    else options[options.length - 1].push(flag);
  }
  return options
    .filter((option) => {
      try {
        const probe = new Worker('', { eval: true, execArgv: option });
        probe.unref();
        void probe.terminate();
        return true;
      } catch {
        return false;
      }
    })
    .flat();
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
  // Disposable through its prototype where the runtime has Symbol.asyncDispose (pool.ts).
  return new WorkerPool(spawnNodeWorker, checkPoolOptions(options, availableParallelism())) as WorkerPool & Pool;
}
