import { describe, expect, it } from 'vitest';
import { mergeChunkPartials, planChunks } from '../src/core/exact-chunks.js';
import { splitRange } from '../src/pool/split-range.js';
import { GAME_KIND_ID, randomSoumGame } from '../src/core/games.js';
import { exactChunks } from '../src/pool/worker-tasks.js';
import { kernelExports } from '../src/core/wasm/module.js';
import { onePass } from './support/one-pass.js';
import { tabulate } from '../src/core/exact.js';
import { randomTable, relativeError, seededRandom } from './support/random.js';

describe('exact passes in chunks', async () => {
  const core = await kernelExports();

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
      const shapley = onePass(core, table, n, 'shapley').values;
      const banzhaf = onePass(core, table, n, 'banzhaf').values;
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
    expect(relativeError(merged, onePass(core, table, n, 'shapley').values)).toBeLessThan(1e-12);
  });
});
