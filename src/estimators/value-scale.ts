// Game values scaled by a power of two before sampling when they are so large
// or so small that their squares leave float64 (|v| >= 2^400 or <= 2^-400):
// the samplers' variances, Welford sums and least-squares fits square values,
// so 1e154 gave NaN standard errors and 1e-160 gave 0 (a tolerance then
// stopped at once). A power of two scales exactly; results are scaled back.
// Values in the usual range are not touched, so their results stay bit for bit.
import { GAME_KIND_ID } from '../core/games.js';
import { largestMagnitude } from '../core/table.js';
import type { CoalitionSampler, MaskBatch, SamplerEstimate } from './ask-tell.js';

/** Largest |log2| of the values' scale left as it is: squares of 2^400 and sums of a billion of them still fit. */
const SAFE_EXPONENT = 400;

/** Multiplies by 2^exponent in two steps, so 2^exponent itself never overflows (|exponent| up to 2098). */
function times2To(x: number, exponent: number): number {
  const half = Math.trunc(exponent / 2);
  return x * 2 ** half * 2 ** (exponent - half);
}

/** The exponent that brings `largest` (the largest |v|, or a bound on it) near 1; 0 when no scaling is needed. */
export function scaleExponent(largest: number): number {
  if (!(largest > 0) || !Number.isFinite(largest)) return 0;
  const exponent = Math.floor(Math.log2(largest));
  return Math.abs(exponent) < SAFE_EXPONENT ? 0 : -exponent;
}

/** Entries of a game's parameters that its values are linear in: [from, to), or null (voting: values are 0 or 1). */
function linearRange(kindId: number, params: Float64Array): [number, number] | null {
  if (kindId === GAME_KIND_ID.soum) return [1, 1 + params[0]];
  if (kindId === GAME_KIND_ID.voting) return null;
  return [0, params.length];
}

/**
 * The game's parameters (a value table, or a built-in game's) scaled so its
 * values are near 1, and the exponent applied (0: `params` itself, unscaled).
 * `tableLargest`: a table's largest |v| when a scan has measured it already.
 */
export function scaleGameParams(kindId: number, params: Float64Array, tableLargest?: number): { params: Float64Array; exponent: number } {
  const range = linearRange(kindId, params);
  if (range === null) return { params, exponent: 0 };
  // A table's largest |v| (a table is checked finite before it is sampled); for built-in games the sum of
  // |coefficients|, a bound on every |v(S)| (airport: the largest cost).
  let largest = 0;
  if (kindId === GAME_KIND_ID.table && tableLargest !== undefined) largest = tableLargest;
  else if (kindId === GAME_KIND_ID.table || kindId === GAME_KIND_ID.airport) largest = largestMagnitude(params.subarray(range[0], range[1]));
  else for (let i = range[0]; i < range[1]; i++) largest += Math.abs(params[i]);
  const exponent = scaleExponent(largest);
  if (exponent === 0) return { params, exponent };
  const scaled = Float64Array.from(params);
  for (let i = range[0]; i < range[1]; i++) scaled[i] = times2To(params[i], exponent);
  return { params: scaled, exponent };
}

/** Undoes scaleGameParams on an estimate (new arrays: a sampler may hand out the same ones again). */
export function unscaleEstimate<T extends SamplerEstimate>(estimate: T, exponent: number): T {
  if (exponent === 0) return estimate;
  const back = (x: number) => times2To(x, -exponent);
  return { ...estimate, values: estimate.values.map(back), stderr: estimate.stderr && estimate.stderr.map(back) };
}

/**
 * A sampler fed by values that arrive in batches (an evaluator): the scale is
 * chosen from the first batch with a value other than zero (zeros scale to
 * themselves, so what came before stays right) and kept for the run.
 */
export function withValueScale(sampler: CoalitionSampler): CoalitionSampler {
  let exponent: number | undefined;
  return {
    get players() {
      return sampler.players;
    },
    ask: (max: number): MaskBatch => sampler.ask(max),
    tell(values: Float64Array) {
      if (exponent === undefined) {
        let largest = 0;
        for (const value of values) largest = Math.max(largest, Math.abs(value));
        if (largest > 0) exponent = scaleExponent(largest);
      }
      if (!exponent) return sampler.tell(values);
      sampler.tell(values.map((value) => times2To(value, exponent!)));
    },
    estimate: () => unscaleEstimate(sampler.estimate(), exponent ?? 0),
    dispose: () => sampler.dispose(),
  };
}
