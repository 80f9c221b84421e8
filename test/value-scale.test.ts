// Standard errors at extreme magnitudes: the same game at 1e160 and 1e-170
// gives the same values and standard errors, scaled, on tables, built-in and
// evaluator games, for every sampler; a tolerance on tiny values does not
// stop at once on a standard error of zero.
import { describe, expect, it } from 'vitest';
import { shapley } from '../src/attribution/shapley.js';
import { soumGame } from '../src/core/games.js';
import { scaleExponent } from '../src/estimators/value-scale.js';
import { largestMagnitude } from '../src/core/table.js';
import { tableEvaluator } from './support/evaluators.js';
import { names, randomTable, seededRandom } from './support/random.js';

const METHODS = ['permutation', 'msr', 'svarm', 'stratified', 'kernel'] as const;
const SCALES = [1e160, 1e-170, 1.7e300, 3e-300];

/**
 * Equal to the reference times `scale` up to 1e-7 relative: scaling by a power of two gives the same bits,
 * other scales perturb each value by an ulp, which msr's least squares amplify to about 1e-8.
 */
function expectScaled(actual: Float64Array | null, base: Float64Array | null, scale: number, what: string) {
  if (base === null) return expect(actual, `${what}: this method gives no standard errors`).toBeNull();
  expect(actual, what).not.toBeNull();
  for (let i = 0; i < base.length; i++) {
    expect(Number.isFinite(actual![i]), `${what}[${i}] = ${actual![i]}`).toBe(true);
    const expected = base[i] * scale;
    expect(Math.abs(actual![i] - expected), `${what}[${i}]: ${actual![i]} vs ${expected}`).toBeLessThanOrEqual(1e-7 * Math.abs(expected) + 1e-12 * Math.abs(scale));
  }
}

describe('sampling at extreme magnitudes', () => {
  const n = 9;
  const players = names(n);
  const base = randomTable(n, seededRandom(3));

  it.each(METHODS)('%s on a value table: values and standard errors scale with the table (1e160 to 3e-300), never NaN, Infinity or 0 (kernel gives none)', async (method) => {
    const reference = await shapley({ players, values: base }, { method, budget: 300, seed: 5 });
    if (reference.stderr) expect(reference.stderr.every((e) => e > 0 && Number.isFinite(e))).toBe(true);
    for (const scale of SCALES) {
      const r = await shapley({ players, values: base.map((v) => v * scale) }, { method, budget: 300, seed: 5 });
      expectScaled(r.values, reference.values, scale, `${method} values at ${scale}`);
      expectScaled(r.stderr, reference.stderr, scale, `${method} stderr at ${scale}`);
    }
  });

  it.each(METHODS)('%s on an evaluator game: the same, scaled', async (method) => {
    const options = { method, budget: 300, seed: 5, concurrency: 1 };
    const reference = await shapley({ players, evaluate: tableEvaluator(players, base).evaluate }, options);
    for (const scale of [1e160, 1e-170]) {
      const r = await shapley({ players, evaluate: tableEvaluator(players, base.map((v) => v * scale)).evaluate }, options);
      expectScaled(r.values, reference.values, scale, `${method} values at ${scale}`);
      expectScaled(r.stderr, reference.stderr, scale, `${method} stderr at ${scale}`);
    }
  });

  it('built-in games scale their coefficients: a SOUM at 1e300', async () => {
    const terms = [{ members: [0, 1], coefficient: 2 }, { members: [1, 2, 3], coefficient: -1.5 }, { members: [4], coefficient: 0.5 }];
    const reference = await shapley(soumGame(12, terms), { method: 'permutation', budget: 500, seed: 2 });
    const r = await shapley(soumGame(12, terms.map((t) => ({ ...t, coefficient: t.coefficient * 1e300 }))), { method: 'permutation', budget: 500, seed: 2 });
    expectScaled(r.values, reference.values, 1e300, 'values');
    expectScaled(r.stderr, reference.stderr, 1e300, 'stderr');
  });

  it('a tolerance on values near 1e-170 samples until the standard errors fall below it, as it does at 1', async () => {
    const tolerance = 0.05;
    const reference = await shapley({ players, evaluate: tableEvaluator(players, base).evaluate }, { method: 'permutation', budget: 4_000, tolerance });
    expect(reference.evaluations).toBeGreaterThan(2 * n);
    const tiny = await shapley({ players, evaluate: tableEvaluator(players, base.map((v) => v * 1e-170)).evaluate }, { method: 'permutation', budget: 4_000, tolerance: tolerance * 1e-170 });
    expect(tiny.evaluations).toBe(reference.evaluations);
    expect(tiny.stopReason).toBe(reference.stopReason);
  });

  it('values in the usual range are not scaled at all (bit for bit as before)', () => {
    for (const largest of [0, 1, 1e-100, 1e100, 2 ** 399, 2 ** -399]) expect(scaleExponent(largest)).toBe(0);
    expect(scaleExponent(2 ** 400)).toBe(-400);
    expect(scaleExponent(1e-170)).toBe(565);
  });
});

describe('largestMagnitude: the one pass that checks a table and sizes it', () => {
  /** The reference: NaN when any entry is NaN or infinite, else the largest |v|. */
  const reference = (values: Float64Array) => (values.every(Number.isFinite) ? values.reduce((largest, v) => Math.max(largest, Math.abs(v)), 0) : NaN);

  it('equals a plain scan on random lengths, magnitudes, and a NaN or infinity at any position', () => {
    const random = seededRandom(71);
    for (let trial = 0; trial < 400; trial++) {
      // Lengths around multiples of the four running maxima, including 0 and the tail of 1-3.
      const length = Math.floor(random() * 40);
      const values = Float64Array.from({ length }, () => (random() - 0.5) * 10 ** Math.floor(random() * 40 - 20));
      expect(largestMagnitude(values), `${trial}: finite`).toBe(reference(values));
      if (length === 0) continue;
      const bad = [NaN, Infinity, -Infinity][trial % 3];
      const at = Math.floor(random() * length);
      values[at] = bad;
      // A NaN after a larger finite entry in the same lane, and an infinity before one, are still seen.
      if (trial % 2 === 0 && at + 4 < length) values[at + 4] = 1e300;
      expect(largestMagnitude(values), `${trial}: ${bad} at ${at} of ${length}`).toBeNaN();
    }
  });

  it('reports the largest magnitude of negative entries, and 0 for an all-zero table', () => {
    expect(largestMagnitude(Float64Array.of(-3, 2, -7.5, 1, 0.5))).toBe(7.5);
    expect(largestMagnitude(new Float64Array(9))).toBe(0);
  });
});
