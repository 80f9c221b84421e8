// Random games for reproducible tests.
export { seededRandom } from '../../src/core/seeded-random.js';

export function randomTable(n: number, random: () => number): Float64Array {
  const table = new Float64Array(2 ** n);
  for (let mask = 0; mask < table.length; mask++) table[mask] = 4 * random() - 2;
  return table;
}

export function names(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `agent${i}`);
}

/** max |a - b| / max(1e-300, max |b|): error relative to the reference's scale. */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  let scale = 1e-300;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]));
  for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst / scale;
}
