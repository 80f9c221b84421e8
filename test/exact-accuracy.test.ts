// The exact kernels' error bound (README, "How the exact kernel works"):
// |computed - exact| <= 8 (2^max(n-8, 0) + 70) eps R + 2 eps |exact|, with
// eps = 2^-53, R = max |v| for the fast pass and, when a small credit made
// the pass be redone on v less its additive reference (usesReference), R =
// how far the table is from that reference. Checked against
// a double-double brute force over marginal contributions.
import { describe, expect, it } from 'vitest';
import { banzhaf, shapley } from '../src/attribution/shapley.js';
import { streamedPass, usesReference } from '../src/core/exact.js';
import { kernelExports } from '../src/core/wasm/module.js';
import { compensatedIndex } from './support/compensated.js';
import { names, seededRandom } from './support/random.js';

const EPS = 2 ** -53;

/** rho: the largest |v(S) - v(empty) - sum of a_j over S|, plus the rounding of the a_j to the kernel's grid. */
function distanceFromAdditive(table: Float64Array, n: number): number {
  const full = table.length - 1;
  const a = Array.from({ length: n }, (_, j) => (table[2 ** j] - table[0] + (table[full] - table[full - 2 ** j])) / 2);
  const scale = Math.abs(table[0]) + a.reduce((sum, x) => sum + Math.abs(x), 0);
  let largest = 0;
  for (let mask = 0; mask < table.length; mask++) {
    let reference = table[0];
    for (let j = 0; j < n; j++) if (Math.floor(mask / 2 ** j) % 2 === 1) reference += a[j];
    largest = Math.max(largest, Math.abs(table[mask] - reference));
  }
  return largest + (n + 1) * 2 ** -52 * scale;
}

function bound(n: number, scale: number, exact: number): number {
  return 8 * (2 ** Math.max(n - 8, 0) + 70) * EPS * scale + 2 * EPS * Math.abs(exact);
}

/** R: how far from additive when the pass was redone on v less its reference (usesReference), else the largest |v|. */
function errorScale(table: Float64Array, n: number, values: Float64Array): number {
  return usesReference(values, table, n) ? distanceFromAdditive(table, n) : table.reduce((largest, value) => Math.max(largest, Math.abs(value)), 0);
}

/** log-uniform magnitude in [1e-12, 1e12], random sign. */
function spanning(random: () => number): number {
  return (random() < 0.5 ? -1 : 1) * 10 ** (24 * random() - 12);
}

/** Each entry drawn on its own, magnitudes spanning 1e-12..1e12. */
function scatteredGame(n: number, random: () => number): Float64Array {
  return Float64Array.from({ length: 2 ** n }, () => spanning(random));
}

/** Additive with worths spanning 1e-12..1e12, plus a small non-additive part: small credits beside large ones. */
function nearlyAdditiveGame(n: number, random: () => number): Float64Array {
  const worths = Array.from({ length: n }, () => spanning(random));
  return Float64Array.from({ length: 2 ** n }, (_, mask) => {
    let value = 0;
    for (let j = 0; j < n; j++) if (Math.floor(mask / 2 ** j) % 2 === 1) value += worths[j];
    return value + 1e-9 * spanning(random);
  });
}

async function expectWithinBound(table: Float64Array, n: number): Promise<void> {
  const players = names(n);
  const computed = { shapley: (await shapley({ players, values: table })).values, banzhaf: (await banzhaf({ players, values: table })).values };
  for (const index of ['shapley', 'banzhaf'] as const) {
    const scale = errorScale(table, n, computed[index]);
    for (let i = 0; i < n; i++) {
      const exact = compensatedIndex(table, n, i, index);
      expect(Math.abs(computed[index][i] - exact), `${index} of player ${i} (n = ${n})`).toBeLessThanOrEqual(bound(n, scale, exact));
    }
  }
}

describe('exact values within the stated error bound', () => {
  for (let n = 1; n <= 12; n++) {
    it(`n = ${n}: random games with values spanning 1e-12..1e12, scattered and nearly additive`, async () => {
      const random = seededRandom(100 + n);
      for (let trial = 0; trial < 3; trial++) {
        await expectWithinBound(scatteredGame(n, random), n);
        await expectWithinBound(nearlyAdditiveGame(n, random), n);
      }
    });
  }

  it('the fast pass streamed chunk by chunk (streamedPass, n = 17 and 18) is within the bound with R = max |v|', async () => {
    const core = await kernelExports();
    for (const n of [17, 18]) {
      const random = seededRandom(100 + n);
      for (const table of [scatteredGame(n, random), nearlyAdditiveGame(n, random)]) {
        const scale = table.reduce((largest, value) => Math.max(largest, Math.abs(value)), 0);
        for (const index of ['shapley', 'banzhaf'] as const) {
          const values = streamedPass(core, table, n, index).values;
          for (let i = 0; i < n; i++) {
            const exact = compensatedIndex(table, n, i, index);
            expect(Math.abs(values[i] - exact), `${index} of player ${i} (n = ${n})`).toBeLessThanOrEqual(bound(n, scale, exact));
          }
        }
      }
    }
  });

  it.each([20, 21])('a small credit beside large ones keeps its digits (n = %i: one player worth 1e-6, the others about 1e3; copied whole at 20, streamed at 21)', async (n) => {
    const random = seededRandom(9);
    const worths = [1.0000003e-6, ...Array.from({ length: n - 1 }, () => 1e3 * (0.5 + random()))];
    const table = Float64Array.from({ length: 2 ** n }, (_, mask) => {
      let value = 0;
      for (let j = 0; j < n; j++) if (Math.floor(mask / 2 ** j) % 2 === 1) value += worths[j];
      return value;
    });
    const players = names(n);
    const shapleyValue = (await shapley({ players, values: table })).values[0];
    const banzhafValue = (await banzhaf({ players, values: table })).values[0];
    const exactShapley = compensatedIndex(table, n, 0, 'shapley');
    const exactBanzhaf = compensatedIndex(table, n, 0, 'banzhaf');
    // Before the reference was subtracted: 3e-5 (Shapley) and 4e-4 (Banzhaf) relative.
    expect(Math.abs(shapleyValue - exactShapley) / exactShapley).toBeLessThan(1e-12);
    expect(Math.abs(banzhafValue - exactBanzhaf) / exactBanzhaf).toBeLessThan(1e-12);
    expect(Math.abs(shapleyValue - exactShapley)).toBeLessThanOrEqual(bound(n, distanceFromAdditive(table, n), exactShapley));
  });
});
