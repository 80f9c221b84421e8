import { describe, expect, it } from 'vitest';
import { exactBanzhafValues, exactShapleyValues, streamedPass } from '../src/core/exact.js';
import { CHUNK_ENTRIES, mergeChunkPartials, planChunks, type ExactPass, type IndexKind } from '../src/core/exact-chunks.js';
import { splitRange } from '../src/pool/split-range.js';
import { GAME_KIND_ID, randomSoumGame } from '../src/core/games.js';
import { exactChunks } from '../src/pool/worker-tasks.js';
import { kernelExports } from '../src/core/wasm/module.js';
import { withWindow } from '../src/core/wasm/window.js';
import { tabulate } from '../src/core/exact.js';
import { randomTable, relativeError, seededRandom } from './support/random.js';

describe('exact passes in chunks', async () => {
  const core = await kernelExports();

  /** The one-pass kernel over the whole table copied into Wasm memory (exactPass streams tables of more than one chunk instead). */
  function onePass(table: Float64Array, n: number, index: IndexKind): ExactPass {
    return withWindow(core, (window) => {
      const slot = window.add(table.length);
      const out = window.add(n);
      window.f64(slot, table.length).set(table);
      const kernel = index === 'shapley' ? core.shapleyExact : core.banzhafExact;
      const total = kernel(window.pointer(slot), n, window.pointer(out));
      return { values: window.f64(out, n).slice(), total };
    });
  }

  function chunked(table: Float64Array, n: number, index: 'shapley' | 'banzhaf', parts: number) {
    const plan = planChunks(n);
    const results = splitRange(plan.chunks, parts).map((range) =>
      exactChunks(core, {
        n, index: index === 'shapley' ? 0 : 1, firstChunk: range.first, chunkCount: range.count,
        source: { kind: 'table', values: table.slice(range.first * plan.chunkEntries), offset: 0 },
      }),
    );
    const partials = new Float64Array(plan.chunks * plan.partialLength);
    let offset = 0;
    for (const r of results) {
      partials.set(r.partials, offset);
      offset += r.partials.length;
    }
    return mergeChunkPartials(partials, n, index, results[0].first, results.at(-1)!.last).values;
  }

  it('equals the one-pass kernel (1e-12) for n = 1..18, Shapley and Banzhaf, and does not depend on the split', async () => {
    for (const n of [1, 2, 5, 8, 9, 13, 16, 17, 18]) {
      const table = randomTable(n, seededRandom(n));
      const shapley = onePass(table, n, 'shapley').values;
      const banzhaf = onePass(table, n, 'banzhaf').values;
      const one = chunked(table, n, 'shapley', 1);
      expect(relativeError(one, shapley)).toBeLessThan(1e-12);
      expect(relativeError(chunked(table, n, 'banzhaf', 3), banzhaf)).toBeLessThan(1e-12);
      for (const parts of [2, 3, 4]) expect(Array.from(chunked(table, n, 'shapley', parts))).toEqual(Array.from(one));
    }
  });

  it('built-in games are tabulated chunk by chunk inside the task', async () => {
    const n = 17;
    const game = randomSoumGame(n, 30, 1, 4, seededRandom(2));
    const table = await tabulate(game);
    const plan = planChunks(n);
    const result = exactChunks(core, {
      n, index: 0, firstChunk: 0, chunkCount: plan.chunks, source: { kind: 'builtin', kindId: GAME_KIND_ID.soum, params: game.params },
    });
    const merged = mergeChunkPartials(result.partials, n, 'shapley', result.first, result.last).values;
    expect(relativeError(merged, onePass(table, n, 'shapley').values)).toBeLessThan(1e-12);
  });

  it('streamedPass gives the one-pass values and total to rounding (n = 17, 18, 20; Shapley and Banzhaf)', () => {
    for (const n of [17, 18, 20]) {
      const table = randomTable(n, seededRandom(40 + n));
      for (const index of ['shapley', 'banzhaf'] as const) {
        const streamed = streamedPass(core, table, n, index);
        const whole = onePass(table, n, index);
        expect(relativeError(streamed.values, whole.values), `${index}, n = ${n}`).toBeLessThan(1e-13);
        expect(Math.abs(streamed.total - whole.total)).toBeLessThan(1e-13 * Math.abs(whole.total));
      }
    }
  });

  it('exactShapleyValues and exactBanzhafValues stream a Float64Array of more than one chunk', async () => {
    const n = 17;
    const table = randomTable(n, seededRandom(5));
    expect(table.length).toBeGreaterThan(CHUNK_ENTRIES);
    expect(Array.from(await exactShapleyValues(table, n))).toEqual(Array.from(streamedPass(core, table, n, 'shapley').values));
    expect(Array.from(await exactBanzhafValues(table, n))).toEqual(Array.from(streamedPass(core, table, n, 'banzhaf').values));
  });

  it('a NaN or infinity in any chunk makes the streamed total non-finite (the finiteness check rides on it)', () => {
    const n = 18;
    for (const [mask, bad] of [[0, Number.NaN], [CHUNK_ENTRIES + 3, Infinity], [2 ** n - 1, -Infinity], [3 * CHUNK_ENTRIES - 1, Number.NaN]] as const) {
      const table = randomTable(n, seededRandom(mask));
      table[mask] = bad;
      for (const index of ['shapley', 'banzhaf'] as const) expect(Number.isFinite(streamedPass(core, table, n, index).total), `${bad} at ${mask}`).toBe(false);
    }
  });
});
