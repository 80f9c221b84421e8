// Runs the pool scenarios of test/pool-browser.test.ts inside the page and
// publishes plain results on window.poolResults (or window.poolFailure).
// Served cross-origin isolated, it runs the shared-table scenarios instead.
import { banzhaf, randomSoumGame, shapley, WorkerError } from '../../dist/index.js';
import { canShareWasmMemory, createPool, createSharedTable } from '../../dist/browser.js';
import { WorkerPool } from '../../dist/pool/pool.js';
import { webWorkerHandle } from '../../dist/pool/start-browser.js';

function table(n, seed) {
  let state = seed;
  const values = new Float64Array(2 ** n);
  for (let i = 0; i < values.length; i++) {
    state = (state * 48271) % 2147483647;
    values[i] = state / 2147483647 - 0.5;
  }
  return { players: Array.from({ length: n }, (_, i) => `agent${i}`), values };
}

const plain = (r) => ({ values: Array.from(r.values), stderr: r.stderr && Array.from(r.stderr) });

let step = 'start';

async function scenarios() {
  const results = { hardwareConcurrency: navigator.hardwareConcurrency };
  const pools = [1, 2, 4].map((workers) => createPool({ workers }));
  step = 'exact';
  const exactGame = table(17, 7);
  results.exactSingle = plain(await shapley(exactGame, { method: 'exact' }));
  results.exactPooled = [];
  for (const pool of pools) results.exactPooled.push(plain(await shapley(exactGame, { method: 'exact', pool })));
  step = 'permutation';
  const sampled = randomSoumGame(24, 50, 1, 6, Math.random.bind(null));
  // Below 2^n evaluations, so both games are sampled (a budget of 2^n would enumerate).
  const sampledGames = [table(16, 3), sampled];
  results.permutationSingle = [];
  results.permutationPooled = [];
  for (const game of sampledGames) {
    results.permutationSingle.push(plain(await shapley(game, { method: 'permutation', budget: 60_000, seed: 9 })));
    results.permutationPooled.push(await Promise.all(pools.map(async (pool) => plain(await shapley(game, { method: 'permutation', budget: 60_000, seed: 9, pool })))));
  }
  await Promise.all(pools.map((pool) => pool.terminate()));

  step = 'crash';
  // Crash: kill a Web Worker behind the pool's back while a call runs on it.
  const workers = [];
  const serving = [];
  const pool = new WorkerPool(() => {
    const worker = new Worker(new URL('../../dist/pool/worker.js', import.meta.url), { type: 'module' });
    workers.push(worker);
    serving.push(new Promise((resolve) => worker.addEventListener('message', resolve, { once: true })));
    return webWorkerHandle(worker);
  }, 1);
  const heavy = randomSoumGame(22, 400, 1, 8, Math.random.bind(null));
  const call = shapley(heavy, { method: 'exact', pool });
  await serving[0];
  workers[0].terminate();
  const error = await call.then(() => null, (e) => e);
  results.crash = { isWorkerError: error instanceof WorkerError, message: error && error.message, spawned: workers.length };
  step = 'after crash';
  const small = table(13, 5);
  results.afterCrash = plain(await shapley(small, { method: 'permutation', budget: 5_000, pool }));
  results.afterCrashSingle = plain(await shapley(small, { method: 'permutation', budget: 5_000 }));
  step = 'terminate';
  const inFlight = shapley(heavy, { method: 'exact', pool });
  await pool.terminate();
  results.terminated = await inFlight.then(() => 'resolved', (e) => `${e.name}: ${e.message}`);
  step = 'shared table fallback';
  results.fallback = await sharedTableScenario();
  return results;
}

/**
 * A table from createSharedTable, exact with 1, 2 and 4 workers against the
 * same values copied, and a NaN in it. On a page that is not cross-origin
 * isolated the table is an ordinary Float64Array and must work the same.
 */
async function sharedTableScenario() {
  const pools = [1, 2, 4].map((workers) => createPool({ workers }));
  const { players, values } = table(15, 11);
  const shared = createSharedTable(15);
  shared.set(values);
  const copied = { players, values };
  const result = {
    canShare: canShareWasmMemory(),
    sharedBuffer: typeof SharedArrayBuffer === 'function' && shared.buffer instanceof SharedArrayBuffer,
    single: plain(await shapley(copied, { method: 'exact' })),
    singleBanzhaf: plain(await banzhaf(copied)),
    copiedPooled: plain(await shapley(copied, { method: 'exact', pool: pools[1] })),
    pooled: [],
    banzhafPooled: [],
  };
  for (const pool of pools) {
    result.pooled.push(plain(await shapley({ players, values: shared }, { method: 'exact', pool })));
    result.banzhafPooled.push(plain(await banzhaf({ players, values: shared }, { pool })));
  }
  shared[77] = Number.NaN;
  result.nanError = await shapley({ players, values: shared }, { method: 'exact', pool: pools[2] }).then(() => 'resolved', (e) => `${e.name}: ${e.message}`);
  await Promise.all(pools.map((pool) => pool.terminate()));
  return result;
}

async function isolatedScenarios() {
  step = 'shared table in place';
  return { crossOriginIsolated: self.crossOriginIsolated, shared: await sharedTableScenario() };
}

(self.crossOriginIsolated ? isolatedScenarios() : scenarios()).then(
  (results) => {
    window.poolResults = results;
  },
  (error) => {
    window.poolFailure = `${step}: ${error && error.stack ? error.stack : error}`;
  },
);
