// Tables in shared Wasm memory (createSharedTable): the pool's workers run the
// exact pass on them in place. Imported from dist/, as the pool tests are.
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { banzhaf, InputError, shapley, WorkerError } from '../dist/index.js';
import { canShareWasmMemory, createPool, createSharedTable } from '../dist/node.js';
import { WorkerPool } from '../dist/pool/pool.js';
import { nodeWorkerHandle } from '../dist/pool/start-node.js';
import { sharedTableOf } from '../dist/pool/shared-memory.js';
import { names, randomTable, seededRandom } from './support/random.js';

const pools = [1, 2, 4].map((workers) => createPool({ workers }));
afterAll(() => Promise.all(pools.map((pool) => pool.terminate())));

function filledSharedTable(n: number, seed: number): Float64Array {
  const table = createSharedTable(n);
  table.set(randomTable(n, seededRandom(seed)));
  return table;
}

describe('createSharedTable', () => {
  it('gives a zeroed table of 2^n entries in shared Wasm memory (Node can share it)', () => {
    expect(canShareWasmMemory()).toBe(true);
    for (const n of [1, 5, 13]) {
      const table = createSharedTable(n);
      expect(table).toBeInstanceOf(Float64Array);
      expect(table.length).toBe(2 ** n);
      expect(table.buffer).toBeInstanceOf(SharedArrayBuffer);
      expect(table.every((v) => v === 0)).toBe(true);
    }
  });

  it('rejects a player count that is not an integer from 1 to 26, naming the value', () => {
    for (const bad of [0, -1, 27, 2.5, Number.NaN, '8', undefined]) {
      expect(() => createSharedTable(bad as number)).toThrow(InputError);
      expect(() => createSharedTable(bad as number)).toThrow(/createSharedTable\(n\): expected a number of players, an integer from 1 to 26/);
    }
    expect(() => createSharedTable('8' as never)).toThrow(/, got "8"$/);
    expect(() => createSharedTable(Object.create(null))).toThrow(/, got object$/);
  });

  it('exact Shapley and Banzhaf read in place: bit-identical to the copied table for 1, 2 and 4 workers, equal to the single thread (1e-12)', async () => {
    for (const n of [1, 3, 9, 17, 20]) {
      const players = names(n);
      const inPlace = filledSharedTable(n, n);
      const copied = Float64Array.from(inPlace);
      const single = await shapley({ players, values: copied }, { method: 'exact' });
      const singleBanzhaf = await banzhaf({ players, values: copied });
      const reference = await shapley({ players, values: copied }, { method: 'exact', pool: pools[1] });
      const referenceBanzhaf = await banzhaf({ players, values: copied }, { pool: pools[1] });
      for (const pool of pools) {
        const r = await shapley({ players, values: inPlace }, { method: 'exact', pool });
        expect(r.method).toBe('exact');
        expect(Array.from(r.values)).toEqual(Array.from(reference.values));
        r.values.forEach((v, i) => expect(Math.abs(v - single.values[i])).toBeLessThan(1e-12));
        const b = await banzhaf({ players, values: inPlace }, { pool });
        expect(Array.from(b.values)).toEqual(Array.from(referenceBanzhaf.values));
        b.values.forEach((v, i) => expect(Math.abs(v - singleBanzhaf.values[i])).toBeLessThan(1e-12));
      }
      expect(Array.from(inPlace)).toEqual(Array.from(copied));
    }
  });

  it('many calls at once on one table, more than it has scratch slots, all give the same values', async () => {
    const n = 12;
    const players = names(n);
    const table = filledSharedTable(n, 5);
    const expected = Array.from((await shapley({ players, values: Float64Array.from(table) }, { method: 'exact' })).values);
    // 40 calls x 4 ranges = 160 ranges: more than the 64 slots, so some calls copy the table instead.
    const runs = await Promise.all(Array.from({ length: 40 }, () => shapley({ players, values: table }, { method: 'exact', pool: pools[2] })));
    for (const r of runs) r.values.forEach((v, i) => expect(Math.abs(v - expected[i])).toBeLessThan(1e-12));
  });

  it('a NaN or infinity in a table read in place gives the same InputError as a scanned table, naming the entry', async () => {
    const n = 10;
    const players = names(n);
    for (const [mask, bad] of [[0, Number.NaN], [37, Number.POSITIVE_INFINITY], [1023, Number.NEGATIVE_INFINITY]] as const) {
      const table = filledSharedTable(n, 2);
      table[mask] = bad;
      const scanned = await shapley({ players, values: Float64Array.from(table) }, { method: 'exact' }).catch((e: Error) => e);
      expect(scanned).toBeInstanceOf(InputError);
      expect((scanned as Error).message).toMatch(new RegExp(`values\\[${mask}\\] \\(mask ${mask}`));
      for (const pool of [pools[0], pools[2]]) {
        await expect(shapley({ players, values: table }, { method: 'exact', pool })).rejects.toThrow((scanned as Error).message);
        await expect(banzhaf({ players, values: table }, { pool })).rejects.toThrow((scanned as Error).message);
      }
    }
  });

  it('values so large that the exact sums overflow are reported, not returned as infinities, shared or not, pooled or not', async () => {
    const table = createSharedTable(4);
    table.fill(Number.MAX_VALUE);
    const plain = Float64Array.from(table);
    for (const values of [table, plain]) {
      for (const pool of [undefined, pools[1]]) {
        await expect(shapley({ players: names(4), values }, { method: 'exact', pool })).rejects.toThrow(/sums overflow float64/);
        await expect(banzhaf({ players: names(4), values }, { pool })).rejects.toThrow(/sums overflow float64/);
        await expect(shapley({ players: names(4), values }, { method: 'permutation', budget: 16, pool })).rejects.toThrow(/sums overflow float64/);
      }
    }
  });

  it('works like any table elsewhere: without a pool, for sampling with a pool, and as a part of itself', async () => {
    const n = 14;
    const players = names(n);
    const table = filledSharedTable(n, 9);
    const copied = Float64Array.from(table);
    const exact = await shapley({ players, values: copied }, { method: 'exact' });
    expect(Array.from((await shapley({ players, values: table }, { method: 'exact' })).values)).toEqual(Array.from(exact.values));
    const sampledOptions = { method: 'permutation', budget: 8_000, seed: 3 } as const;
    const sampled = await shapley({ players, values: copied }, sampledOptions);
    const pooledSample = await shapley({ players, values: table }, { ...sampledOptions, pool: pools[1] });
    expect(Array.from(pooledSample.values)).toEqual(Array.from(sampled.values));
    // A view of part of the table is not the table: it is copied like any other.
    const half = table.subarray(0, 2 ** (n - 1));
    const halfExact = await shapley({ players: names(n - 1), values: Float64Array.from(half) }, { method: 'exact' });
    const halfPooled = await shapley({ players: names(n - 1), values: half }, { method: 'exact', pool: pools[1] });
    halfPooled.values.forEach((v, i) => expect(Math.abs(v - halfExact.values[i])).toBeLessThan(1e-12));
  });

  it('a NaN in a table read in place is still found before sampling reads it', async () => {
    const table = filledSharedTable(8, 1);
    table[200] = Number.NaN;
    await expect(shapley({ players: names(8), values: table }, { method: 'permutation', budget: 100, pool: pools[1] })).rejects.toThrow(/values\[200\] \(mask 200/);
  });

  it('a worker killed mid-pass: its scratch slot is never handed out again, the others only once their workers are done, and a retry is exact', async () => {
    const n = 24;
    const players = names(n);
    const table = filledSharedTable(n, 24);
    const reference = await shapley({ players, values: Float64Array.from(table) }, { method: 'exact' });
    const slots = sharedTableOf(table)!;
    let killed = 0;
    for (let trial = 0; trial < 10 && killed === 0; trial++) {
      const threads: Worker[] = [];
      const pool = new WorkerPool(() => {
        const worker = new Worker(new URL('../dist/pool/worker.js', import.meta.url));
        threads.push(worker);
        return nodeWorkerHandle(worker);
      }, 2);
      await shapley({ players: ['a', 'b'], values: [0, 1, 1, 3] }, { method: 'exact', pool });
      const free = slots.freeSlots.length;
      const call = shapley({ players, values: table }, { method: 'exact', pool }).catch((e: unknown) => e);
      await new Promise((resolve) => setTimeout(resolve, 2));
      void threads[0].terminate();
      const outcome = await call;
      if (outcome instanceof WorkerError) {
        killed++;
        // The other worker's slot comes back once it has stopped; the killed one's never does.
        await expect.poll(() => slots.freeSlots.length, { timeout: 30_000 }).toBe(free - 1);
        const retried = await shapley({ players, values: table }, { method: 'exact', pool: pools[1] });
        expect(Array.from(retried.values)).toEqual(Array.from((await shapley({ players, values: Float64Array.from(table) }, { method: 'exact', pool: pools[1] })).values));
        retried.values.forEach((v, i) => expect(Math.abs(v - reference.values[i])).toBeLessThan(1e-12));
      }
      await pool.terminate();
    }
    expect(killed).toBe(1);
  });
});
