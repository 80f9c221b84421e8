// Runs the pool scenarios of test/pool-browser.test.ts inside the page and
// publishes plain results on window.poolResults (or window.poolFailure).
import { randomSoumGame, shapley, WorkerError } from '../../dist/index.js';
import { createPool } from '../../dist/browser.js';
import { WorkerPool } from '../../dist/pool.js';
import { webWorkerHandle } from '../../dist/pool-browser.js';

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
  const sampledGames = [table(12, 3), sampled];
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
    const worker = new Worker(new URL('../../dist/worker.js', import.meta.url), { type: 'module' });
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
  const small = table(10, 5);
  results.afterCrash = plain(await shapley(small, { method: 'permutation', budget: 5_000, pool }));
  results.afterCrashSingle = plain(await shapley(small, { method: 'permutation', budget: 5_000 }));
  step = 'terminate';
  const inFlight = shapley(heavy, { method: 'exact', pool });
  await pool.terminate();
  results.terminated = await inFlight.then(() => 'resolved', (e) => `${e.name}: ${e.message}`);
  return results;
}

scenarios().then(
  (results) => {
    window.poolResults = results;
  },
  (error) => {
    window.poolFailure = `${step}: ${error && error.stack ? error.stack : error}`;
  },
);
