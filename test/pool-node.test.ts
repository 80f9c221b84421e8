// The worker pool on worker_threads, as shipped: imported from dist/ (built by
// `npm test`), since worker threads run the compiled worker.js.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { banzhaf, InputError, randomSoumGame, shapley, WorkerError, type Pool } from '../dist/index.js';
import { createPool as createBrowserPool } from '../dist/browser.js';
import { createPool } from '../dist/node.js';
import { WorkerPool } from '../dist/pool/pool.js';
import { nodeWorkerHandle } from '../dist/pool/start-node.js';
import { names, randomTable, seededRandom } from './support/random.js';

const workerUrl = new URL('../dist/pool/worker.js', import.meta.url);

/** A pool whose worker threads the test can kill behind the pool's back. */
function killablePool(size: number) {
  const threads: Worker[] = [];
  const pool = new WorkerPool(() => {
    const worker = new Worker(workerUrl);
    threads.push(worker);
    return nodeWorkerHandle(worker);
  }, size);
  return { pool, threads };
}

const pools = [1, 2, 4].map((workers) => createPool({ workers }));
afterAll(() => Promise.all(pools.map((pool) => pool.terminate())));

describe('worker pool (Node worker_threads)', () => {
  it('exact on a table: equals the single thread (1e-12), identical for 1, 2 and 4 workers, shared or copied', async () => {
    for (const n of [3, 12, 18]) {
      const values = randomTable(n, seededRandom(n));
      const game = { players: names(n), values };
      const single = await shapley(game, { method: 'exact' });
      const shared = new Float64Array(new SharedArrayBuffer(values.byteLength));
      shared.set(values);
      const results = [];
      for (const pool of pools) {
        results.push(await shapley(game, { method: 'exact', pool }));
        results.push(await shapley({ players: game.players, values: shared }, { method: 'exact', pool }));
      }
      for (const r of results) {
        expect(Array.from(r.values)).toEqual(Array.from(results[0].values));
        r.values.forEach((v, i) => expect(Math.abs(v - single.values[i])).toBeLessThan(1e-12));
      }
      expect(values.length).toBe(2 ** n);
      expect(values[1]).toBe(randomTable(n, seededRandom(n))[1]);
    }
  });

  it('exact on a built-in game and Banzhaf: tabulated by the workers, equal to the single thread', async () => {
    const game = randomSoumGame(18, 40, 1, 5, seededRandom(4));
    const single = await shapley(game, { method: 'exact' });
    const pooled = await shapley(game, { method: 'exact', pool: pools[1] });
    pooled.values.forEach((v, i) => expect(Math.abs(v - single.values[i])).toBeLessThan(1e-12));
    const table = { players: names(10), values: randomTable(10, seededRandom(1)) };
    const b = await banzhaf(table);
    const bp = await banzhaf(table, { pool: pools[2] });
    bp.values.forEach((v, i) => expect(Math.abs(v - b.values[i])).toBeLessThan(1e-12));
  });

  it('same seed, 1 vs 2 vs 4 workers: identical values and standard errors, equal to the single thread', async () => {
    // 16 players: the budget is below 2^16, so this samples (a budget of 2^n would enumerate).
    const game = { players: names(16), values: randomTable(16, seededRandom(8)) };
    const builtin = randomSoumGame(30, 60, 1, 6, seededRandom(9));
    for (const g of [game, builtin]) {
      const single = await shapley(g, { method: 'permutation', budget: 60_000, seed: 42 });
      for (const pool of pools) {
        const r = await shapley(g, { method: 'permutation', budget: 60_000, seed: 42, pool });
        expect(Array.from(r.values)).toEqual(Array.from(single.values));
        expect(Array.from(r.stderr!)).toEqual(Array.from(single.stderr!));
        expect(r.evaluations).toBe(single.evaluations);
        expect(r.evaluations).toBeLessThan(60_000);
        expect(Math.max(...r.stderr!)).toBeGreaterThan(0);
      }
    }
  });

  it('permutation with a budget covering all 2^n coalitions: the pool runs its exact pass, zero stderr, 2^n evaluations', async () => {
    const table = { players: names(10), values: randomTable(10, seededRandom(12)) };
    const builtin = randomSoumGame(18, 40, 1, 5, seededRandom(13));
    for (const g of [table, builtin]) {
      const n = g.players.length;
      const exact = await shapley(g, { method: 'exact' });
      for (const pool of pools) {
        const exactPass = vi.spyOn(pool, 'exact');
        const r = await shapley(g, { method: 'permutation', budget: 2 ** n, seed: 42, pool });
        expect(exactPass).toHaveBeenCalledTimes(1);
        exactPass.mockRestore();
        expect(r.method).toBe('permutation');
        expect(r.evaluations).toBe(2 ** n);
        expect(Array.from(r.stderr!)).toEqual(new Array(n).fill(0));
        r.values.forEach((v, i) => expect(Math.abs(v - exact.values[i])).toBeLessThan(1e-12));
      }
    }
    // One evaluation short, the pool samples, bit-identical to the single thread.
    const single = await shapley(table, { method: 'permutation', budget: 2 ** 10 - 1, seed: 42 });
    const pooled = await shapley(table, { method: 'permutation', budget: 2 ** 10 - 1, seed: 42, pool: pools[2] });
    expect(pooled.evaluations).toBeLessThan(2 ** 10);
    expect(Math.max(...pooled.stderr!)).toBeGreaterThan(0);
    expect(Array.from(pooled.values)).toEqual(Array.from(single.values));
    expect(Array.from(pooled.stderr!)).toEqual(Array.from(single.stderr!));
  });

  it('a worker killed mid-call makes that call reject; the next call on the same pool succeeds', async () => {
    const { pool, threads } = killablePool(2);
    const heavy = randomSoumGame(22, 200, 1, 8, seededRandom(5));
    const call = shapley(heavy, { method: 'exact', pool });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await threads[0].terminate();
    const error = await call.catch((e) => e);
    expect(error).toBeInstanceOf(WorkerError);
    expect(error.message).toMatch(/pool worker 0 stopped \(exit code \d+\) during a call; the pool has replaced it/);
    expect(threads.length).toBe(3);
    const game = { players: names(13), values: randomTable(13, seededRandom(3)) };
    const again = await shapley(game, { method: 'permutation', budget: 5_000, pool });
    const single = await shapley(game, { method: 'permutation', budget: 5_000 });
    expect(Array.from(again.values)).toEqual(Array.from(single.values));
    await pool.terminate();
  });

  it('terminate() rejects the calls in flight and every later call', async () => {
    const pool = createPool({ workers: 1 });
    const call = shapley(randomSoumGame(22, 200, 1, 8, seededRandom(6)), { method: 'exact', pool }).catch((e) => e);
    await pool.terminate();
    expect((await call).message).toMatch(/the pool was terminated during a call/);
    await expect(shapley({ players: ['a'], values: [0, 1] }, { pool })).rejects.toThrow(/the pool was terminated; create a new one/);
  });

  it('await using terminates the pool at the end of its block, as terminate() does', async () => {
    let kept: Pool;
    {
      await using pool = createPool({ workers: 1 });
      kept = pool;
      expect((await shapley({ players: ['a', 'b'], values: [0, 1, 1, 3] }, { pool })).values).toEqual(Float64Array.of(1.5, 1.5));
      expect(JSON.parse(JSON.stringify(pool)).terminated).toBe(false);
    }
    expect(JSON.parse(JSON.stringify(kept)).terminated).toBe(true);
    await expect(shapley({ players: ['a'], values: [0, 1] }, { pool: kept })).rejects.toThrow(/the pool was terminated; create a new one/);
  });

  it('validates before anything reaches a worker', async () => {
    const pool = pools[0];
    const error = await shapley({ players: ['a', 'b'], values: [0, 1, Number.NaN, 2] }, { pool }).catch((e) => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe('values[2] (mask 2 = {b}): expected a finite number, got NaN');
    await expect(shapley({ players: ['a'], values: [0, 1] }, { pool: {} as never })).rejects.toThrow(/options.pool: expected a pool made by createPool\(\)/);
    expect(() => createPool({ workers: 0 })).toThrow(/options.workers: expected an integer from 1 to 256, got 0/);
    expect(() => createBrowserPool()).toThrow(/in Node use: import \{ createPool \} from 'agent-credit\/node'/);
  });

  it('createPool refuses unknown options and a bad workers count, in Node and in browsers', () => {
    // The browser pool checks for Web Workers first: a stand-in lets its option checks run here (they throw before any worker starts).
    vi.stubGlobal('Worker', function Worker() {});
    try {
      for (const create of [createPool, createBrowserPool]) {
        expect(() => create({ workrs: 2 } as never)).toThrow(InputError);
        expect(() => create({ workrs: 2 } as never)).toThrow('options.workrs: unknown option (did you mean workers?); expected one of workers');
        expect(() => create('4' as never)).toThrow('options: expected an object of options (workers), got "4"');
        expect(() => create({ workers: '2' } as never)).toThrow('options.workers: expected an integer from 1 to 256, got "2"');
        expect(() => create({ workers: 2.5 })).toThrow('options.workers: expected an integer from 1 to 256, got 2.5');
        expect(() => create({ workers: 257 })).toThrow('options.workers: expected an integer from 1 to 256, got 257');
        expect(() => create({ workers: Number.NaN })).toThrow('options.workers: expected an integer from 1 to 256, got NaN');
        expect(() => create({ workers: {} as never })).toThrow('options.workers: expected an integer from 1 to 256, got object');
      }
    } finally {
      vi.unstubAllGlobals();
    }
    expect(() => createBrowserPool()).toThrow(/in Node use: import \{ createPool \} from 'agent-credit\/node'/);
  });

  it('a pool with no call to run does not keep a Node process alive (no terminate needed)', async () => {
    const script = `
      import { shapley } from './dist/index.js';
      import { createPool } from './dist/node.js';
      const pool = createPool({ workers: 2 });
      const r = await shapley({ players: ['a', 'b'], values: [0, 1, 2, 4] }, { method: 'exact', pool });
      console.log(Array.from(r.values).join(','));`;
    const cwd = fileURLToPath(new URL('..', import.meta.url));
    const output = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ['--input-type=module', '-e', script], { cwd, timeout: 60_000 }, (error, stdout) =>
        error ? reject(error) : resolve(stdout),
      );
    });
    expect(output.trim()).toBe('1.5,2.5');
  });

  it('a pool can be stringified, inspected and misplaced in options without killing the process', async () => {
    // Each of these once read a property of a worker's Comlink proxy, which
    // asked the worker for it: its refusal was an unhandled rejection.
    const script = `
      import { inspect } from 'node:util';
      import { shapley } from './dist/index.js';
      import { createPool } from './dist/node.js';
      const pool = createPool({ workers: 2 });
      console.log(JSON.stringify(pool));
      inspect(pool, { showHidden: true, depth: Infinity });
      await shapley({ players: ['a'], values: [0, 1] }, { method: pool }).catch((error) => console.log(error.message));
      await new Promise((resolve) => setTimeout(resolve, 300));
      await pool.terminate();
      console.log(JSON.stringify(pool));`;
    const cwd = fileURLToPath(new URL('..', import.meta.url));
    const output = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ['--input-type=module', '-e', script], { cwd, timeout: 60_000 }, (error, stdout, stderr) => (error ? reject(new Error(stderr || String(error))) : resolve(stdout)));
    });
    expect(output.trim().split('\n')).toEqual([
      '{"pool":"agent-credit","size":2,"terminated":false}',
      'options: method: expected one of exact, permutation, stratified, kernel, svarm, msr, auto; got object (a worker pool: pass it as { pool })',
      '{"pool":"agent-credit","size":2,"terminated":true}',
    ]);
  });

  it('works under process-wide Node flags workers refuse (--max-old-space-size, --expose-gc, --stack-size), keeping the flags they take', async () => {
    const script = `
      import { shapley } from './dist/index.js';
      import { createPool } from './dist/node.js';
      const pool = createPool({ workers: 2 });
      const r = await shapley({ players: ['a', 'b'], values: [0, 1, 2, 4] }, { method: 'exact', pool });
      console.log(Array.from(r.values).join(','), typeof gc);
      await pool.terminate();`;
    const cwd = fileURLToPath(new URL('..', import.meta.url));
    const flags = ['--max-old-space-size=300', '--expose-gc', '--stack-size=900', '--no-warnings', '--input-type=module', '-e', script];
    const output = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, flags, { cwd, timeout: 60_000 }, (error, stdout, stderr) => (error ? reject(new Error(stderr || String(error))) : resolve(stdout)));
    });
    expect(output.trim()).toBe('1.5,2.5 function');
  });
});
