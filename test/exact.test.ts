import { describe, expect, it } from 'vitest';
import { exactBanzhafValues, exactInteractionMatrix, exactShapleyBatch, exactShapleyValues } from '../src/core/exact.js';
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
