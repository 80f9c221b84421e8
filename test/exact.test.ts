import { describe, expect, it } from 'vitest';
import { exactBanzhafValues, exactInteractionMatrix, exactShapleyBatch, exactShapleyValues, streamedPass } from '../src/core/exact.js';
import { CHUNK_ENTRIES } from '../src/core/exact-chunks.js';
import { kernelExports } from '../src/core/wasm/module.js';
import { onePass } from './support/one-pass.js';
import { textbookBanzhaf, textbookInteractions, textbookShapley } from './support/textbook.js';
import { randomTable, relativeError, seededRandom } from './support/random.js';

describe('exact kernels against the textbook formulas', () => {
  const random = seededRandom(2024);
  for (let n = 1; n <= 12; n++) {
    it(`agree on random games with n = ${n}`, async () => {
      for (let trial = 0; trial < 3; trial++) {
        const table = randomTable(n, random);
        expect(relativeError(await exactShapleyValues(table, n), textbookShapley(table, n))).toBeLessThan(1e-9);
        expect(relativeError(await exactBanzhafValues(table, n), textbookBanzhaf(table, n))).toBeLessThan(1e-9);
        if (n <= 10) {
          expect(relativeError(await exactInteractionMatrix(table, n), textbookInteractions(table, n))).toBeLessThan(1e-9);
        }
      }
    });
  }

  it('agrees on interactions at n = 12 for one game', async () => {
    const table = randomTable(12, seededRandom(7));
    expect(relativeError(await exactInteractionMatrix(table, 12), textbookInteractions(table, 12))).toBeLessThan(1e-9);
  });

  it('gives a zero diagonal and a symmetric interaction matrix', async () => {
    const n = 6;
    const matrix = await exactInteractionMatrix(randomTable(n, seededRandom(3)), n);
    for (let i = 0; i < n; i++) {
      expect(matrix[i * n + i]).toBe(0);
      for (let j = 0; j < n; j++) expect(matrix[i * n + j]).toBeCloseTo(matrix[j * n + i], 12);
    }
  });

  it('computes many small tables in one batch call, each as a single call would', async () => {
    const random = seededRandom(99);
    const tables = Array.from({ length: 200 }, (_, k) => randomTable(1 + (k % 8), random));
    const batch = await exactShapleyBatch(tables);
    for (let k = 0; k < tables.length; k++) {
      const n = 1 + (k % 8);
      expect(batch[k]).toHaveLength(n);
      expect(relativeError(batch[k], textbookShapley(tables[k], n))).toBeLessThan(1e-9);
    }
  });
});

describe('a Float64Array of more than one chunk is streamed through Wasm memory', async () => {
  const core = await kernelExports();

  it('streamedPass gives the one-pass values and total to rounding (n = 17, 18, 20; Shapley and Banzhaf)', () => {
    for (const n of [17, 18, 20]) {
      const table = randomTable(n, seededRandom(40 + n));
      for (const index of ['shapley', 'banzhaf'] as const) {
        const streamed = streamedPass(core, table, n, index);
        const whole = onePass(core, table, n, index);
        expect(relativeError(streamed.values, whole.values), `${index}, n = ${n}`).toBeLessThan(1e-13);
        expect(Math.abs(streamed.total - whole.total)).toBeLessThan(1e-13 * Math.abs(whole.total));
      }
    }
  });

  it('the streamed Shapley pass reads its chunk pattern-major: right against the textbook from 3 to 12 players, in one chunk or several', () => {
    for (const n of [3, 4, 7, 8, 9, 12]) {
      const table = randomTable(n, seededRandom(70 + n));
      expect(relativeError(streamedPass(core, table, n, 'shapley').values, textbookShapley(table, n)), `n = ${n}`).toBeLessThan(1e-12);
    }
    // Several chunks, each with its own block sums: against the block-by-block pass.
    const n = 18;
    const table = randomTable(n, seededRandom(88));
    expect(relativeError(streamedPass(core, table, n, 'shapley').values, onePass(core, table, n, 'shapley').values)).toBeLessThan(1e-13);
  });

  it('exactShapleyValues and exactBanzhafValues stream tables of 2^21 values and more, and copy smaller ones whole', async () => {
    const large = randomTable(21, seededRandom(5));
    expect(Array.from(await exactShapleyValues(large, 21))).toEqual(Array.from(streamedPass(core, large, 21, 'shapley').values));
    expect(Array.from(await exactBanzhafValues(large, 21))).toEqual(Array.from(streamedPass(core, large, 21, 'banzhaf').values));
    const small = randomTable(20, seededRandom(6));
    expect(Array.from(await exactShapleyValues(small, 20))).toEqual(Array.from(onePass(core, small, 20, 'shapley').values));
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
