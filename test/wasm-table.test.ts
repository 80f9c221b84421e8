// Exact indices where users call them: tables from createTable read in
// place, the finiteness check riding on the exact pass, kept Wasm memory.
import { describe, expect, it } from 'vitest';
import { banzhaf, createTable, interactions, InputError, owen, shapley } from '../src/index.js';
import { kernelExports } from '../src/core/wasm/module.js';
import { allocatingCall } from '../src/core/wasm/window.js';
import { names, randomTable, seededRandom } from './support/random.js';

const entryOf = (mask: number) => new RegExp(`^values\\[${mask}\\] \\(mask ${mask} = \\{[^}]*\\}\\): expected a finite number, got (NaN|-?Infinity)$`);

describe('a NaN or infinity in a table, found by the exact pass', () => {
  const n = 10;
  const players = names(n);
  // First entry, inside the first block, the first entry of a middle block, inside it, the last entry.
  const masks = [0, 37, 512, 512 + 200, 1023];

  for (const [kind, make] of [
    ['Float64Array', (t: Float64Array) => Promise.resolve(t)],
    ['plain array', (t: Float64Array) => Promise.resolve(Array.from(t))],
    ['createTable', async (t: Float64Array) => {
      const table = await createTable(n);
      table.set(t);
      return table;
    }],
  ] as const) {
    it(`names the first bad entry in a ${kind} for shapley, banzhaf and interactions`, async () => {
      for (const [k, mask] of masks.entries()) {
        const base = randomTable(n, seededRandom(k));
        base[mask] = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY][k % 3];
        // A second bad entry later in the table: the error names the first.
        if (mask < 1000) base[1000] = Number.NaN;
        const values = await make(base);
        for (const run of [() => shapley({ players, values }), () => banzhaf({ players, values }), () => interactions({ players, values })]) {
          const error = await run().catch((e: unknown) => e);
          expect(error).toBeInstanceOf(InputError);
          expect((error as Error).message).toMatch(entryOf(mask));
        }
        if ('free' in values) values.free();
      }
    });
  }

  it('also before sampling and Owen values read the table', async () => {
    const table = randomTable(8, seededRandom(1));
    table[200] = Number.NaN;
    await expect(shapley({ players: names(8), values: table }, { method: 'permutation', budget: 100 })).rejects.toThrow(entryOf(200));
    await expect(owen({ players: names(8), values: table }, { groups: [names(8)] })).rejects.toThrow(entryOf(200));
  });
});

describe('createTable', () => {
  it('is a zeroed Float64Array of 2^n values, read in place: the same values as the copied table', async () => {
    const n = 12;
    const players = names(n);
    const table = await createTable(n);
    expect(table).toBeInstanceOf(Float64Array);
    expect(table.length).toBe(2 ** n);
    expect(table.n).toBe(n);
    expect(table.every((v) => v === 0)).toBe(true);
    table.set(randomTable(n, seededRandom(3)));
    const copy = Float64Array.from(table);
    expect(Array.from((await shapley({ players, values: table })).values)).toEqual(Array.from((await shapley({ players, values: copy })).values));
    expect(Array.from((await banzhaf({ players, values: table })).values)).toEqual(Array.from((await banzhaf({ players, values: copy })).values));
    expect(Array.from((await interactions({ players, values: table })).matrix)).toEqual(Array.from((await interactions({ players, values: copy })).matrix));
    const groups = [players.slice(0, 5), players.slice(5)];
    expect(Array.from((await owen({ players, values: table }, { groups })).values)).toEqual(Array.from((await owen({ players, values: copy }, { groups })).values));
    const sampled = { method: 'msr', budget: 600, seed: 2 } as const;
    expect(Array.from((await shapley({ players, values: table }, sampled)).values)).toEqual(Array.from((await shapley({ players, values: copy }, sampled)).values));
    // Arrays derived from it are plain arrays, not tables.
    expect(table.slice(0, 4)).not.toHaveProperty('free');
    table.free();
  });

  it('a freed table is refused, by every function, and free is idempotent', async () => {
    const table = await createTable(4);
    table.free();
    table.free();
    for (const run of [
      () => shapley({ players: names(4), values: table }),
      () => banzhaf({ players: names(4), values: table }),
      () => interactions({ players: names(4), values: table }),
      () => owen({ players: names(4), values: table }, { groups: [names(4)] }),
    ]) {
      await expect(run()).rejects.toThrow(/^values: this table was freed \(table\.free\(\) or the end of its using block\); make a new one with createTable\(n\)$/);
    }
    expect(() => table.view()).toThrow(InputError);
  });

  it('is disposable: the end of its scope frees it', async () => {
    const table = await createTable(3);
    const dispose = (Symbol as { dispose?: symbol }).dispose!;
    (table as unknown as Record<symbol, () => void>)[dispose]();
    await expect(shapley({ players: names(3), values: table })).rejects.toThrow(/this table was freed/);
  });

  it('a foreign view of the library memory (a part of a table, a view made by hand) is refused', async () => {
    const table = await createTable(6);
    const part = table.subarray(0, 32);
    const byHand = new Float64Array(table.buffer, table.byteOffset, 64);
    await expect(shapley({ players: names(5), values: part })).rejects.toThrow(/^values: a Float64Array over the library's Wasm memory that is not a table from createTable/);
    await expect(banzhaf({ players: names(6), values: byHand })).rejects.toThrow(InputError);
    // A copy is an ordinary table.
    expect((await shapley({ players: names(5), values: Float64Array.from(part) })).values).toHaveLength(5);
    table.free();
  });

  it('refuses sizes outside 1..26', async () => {
    for (const bad of [0, -1, 27, 2.5, Number.NaN, '8', undefined, Object.create(null)]) {
      await expect(createTable(bad as number)).rejects.toThrow(/createTable\(n\): expected a number of players, an integer from 1 to 26/);
    }
    // The value as every check shows it: a string quoted, an object by its type (String() of one without a prototype throws).
    await expect(createTable('8' as unknown as number)).rejects.toThrow(/, got "8"$/);
    await expect(createTable(Object.create(null))).rejects.toThrow(/, got object$/);
  });

  it('after the memory grows, a detached table is still read right, and view() gives its values back', async () => {
    const n = 10;
    const table = await createTable(n);
    table.set(randomTable(n, seededRandom(8)));
    const copy = Float64Array.from(table);
    const core = await kernelExports();
    const before = core.memory.buffer;
    // A table larger than the whole memory, so larger than any free block, grows it (whatever earlier tests left free).
    const large = await createTable(Math.max(22, Math.floor(Math.log2(before.byteLength / 8)) + 1));
    expect(core.memory.buffer).not.toBe(before);
    expect(table.length).toBe(0);
    const players = names(n);
    expect(Array.from((await shapley({ players, values: table })).values)).toEqual(Array.from((await shapley({ players, values: copy })).values));
    const fresh = table.view();
    expect(Array.from(fresh)).toEqual(Array.from(copy));
    fresh[3] = 42;
    expect((await shapley({ players, values: table })).values).not.toEqual((await shapley({ players, values: copy })).values);
    expect(fresh.view()).toBe(fresh);
    fresh.free();
    await expect(shapley({ players, values: table })).rejects.toThrow(/this table was freed/);
    large.free();
  });

  // After the test above, which needs a memory with no free block large enough for 2^22 values.
  it('starts on a 4 KiB page, where the exact pass streams fastest', async () => {
    for (const n of [3, 12, 16]) {
      const table = await createTable(n);
      expect(table.byteOffset % 4096, `n = ${n}`).toBe(0);
      table.free();
    }
  });
});

describe('memory kept between calls', () => {
  it('does not grow over 1,000 calls of alternating sizes, nor over 1,000 tables made and freed', async () => {
    const core = await kernelExports();
    const small = randomTable(10, seededRandom(1));
    const large = randomTable(16, seededRandom(2));
    // Every fourth call of each size gives the table as a plain array, which is copied into the same kept block.
    const plainSmall = Array.from(small);
    const plainLarge = Array.from(large);
    const run = async (k: number) => {
      const values = k % 4 === 3 ? (k % 2 ? plainLarge : plainSmall) : k % 2 ? large : small;
      const players = names(k % 2 ? 16 : 10);
      await (k % 3 === 0 ? interactions({ players, values }) : k % 3 === 1 ? banzhaf({ players, values }) : shapley({ players, values }));
    };
    for (let k = 0; k < 10; k++) await run(k);
    const warm = core.memory.buffer.byteLength;
    const rss = process.memoryUsage().rss;
    for (let k = 0; k < 1_000; k++) await run(k);
    for (let k = 0; k < 1_000; k++) {
      const table = await createTable(k % 2 ? 15 : 9);
      table[1] = k;
      await shapley({ players: names(table.n), values: table });
      table.free();
    }
    expect(core.memory.buffer.byteLength).toBe(warm);
    // Flat: no per-call growth (1,000 leaked copies of the larger table would be 500 MB).
    expect(process.memoryUsage().rss - rss).toBeLessThan(64 * 2 ** 20);
  });
});

describe('an allocation the core cannot make', () => {
  it('is a RangeError that says what was being allocated, from the core trap itself', async () => {
    const core = await kernelExports();
    // Blocks over 1 GiB are refused by the core's allocator, which traps.
    expect(() => allocatingCall('a test sampler', () => core.allocate(2 ** 30 + 64))).toThrow(
      /^agent-credit: could not allocate WebAssembly memory for a test sampler \(the core stopped with: /,
    );
    expect(() => allocatingCall('a test sampler', () => core.allocate(2 ** 30 + 64))).toThrow(RangeError);
    // Other errors pass through unchanged.
    expect(() => allocatingCall('x', () => { throw new TypeError('not a trap'); })).toThrow(TypeError);
    // A sampler too large for the memory: a RangeError from the library, not a trap.
    const evaluate = (coalition: string[]) => coalition.length;
    await expect(shapley({ players: names(12), evaluate }, { method: 'permutation', budget: 1000, concurrency: 2e7 })).rejects.toThrow(
      /^agent-credit: .*do not fit in one WebAssembly block|^agent-credit: could not allocate/,
    );
    // The core is still usable afterwards.
    expect((await shapley({ players: names(3), values: randomTable(3, seededRandom(3)) })).values).toHaveLength(3);
  });
});

describe('a NaN or infinity in a large Float64Array, found by the streamed pass', () => {
  it('names it in a Float64Array streamed chunk by chunk (2^21 values), in any chunk', async () => {
    const big = 21;
    const values = randomTable(big, seededRandom(21));
    // In the first chunk, a middle one, and the last entry of the last.
    for (const [mask, bad] of [[5, Number.NaN], [17 * 2 ** 16 + 300, Infinity], [2 ** big - 1, -Infinity]] as const) {
      const saved = values[mask];
      values[mask] = bad;
      for (const run of [() => shapley({ players: names(big), values }), () => banzhaf({ players: names(big), values })]) {
        const error = await run().catch((e: unknown) => e);
        expect(error).toBeInstanceOf(InputError);
        expect((error as Error).message).toMatch(entryOf(mask));
      }
      values[mask] = saved;
    }
  });
});

describe('a plain array of 2^21 values and more', () => {
  it('is copied straight into Wasm memory: the values of the Float64Array streamed chunk by chunk, to 1e-12', async () => {
    const big = 21;
    const values = randomTable(big, seededRandom(22));
    const plain = Array.from(values);
    const players = names(big);
    for (const index of [shapley, banzhaf]) {
      const fromArray = (await index({ players, values })).values;
      const fromPlain = (await index({ players, values: plain })).values;
      const scale = Math.max(...fromArray.map(Math.abs));
      fromPlain.forEach((value, i) => expect(Math.abs(value - fromArray[i])).toBeLessThanOrEqual(1e-12 * scale));
    }
    // Checked before the pass: the entry a Float64Array would turn into 0 or NaN is named.
    plain[3 * 2 ** 16 + 5] = null as unknown as number;
    await expect(shapley({ players, values: plain })).rejects.toThrow(/^values\[196613\] \(mask 196613 = \{[^}]*\}\): expected a finite number, got null$/);
  });
});
