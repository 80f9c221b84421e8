// The ask/tell contract between sampling estimators (their state, RNG and
// statistics live in Wasm) and whoever supplies coalition values: the Wasm
// core itself for tables and built-in games, or an async evaluator driver
// that caches, batches and bounds concurrency.

/** Coalition masks in a flat Uint32Array, `maskWords(n)` little-endian words per coalition (bit i = player i). */
export type MaskBatch = Uint32Array;

export function maskWords(n: number): number {
  return Math.max(1, Math.ceil(n / 32));
}

export interface SamplerEstimate {
  values: Float64Array;
  /** Standard errors where the method can estimate them honestly, else null. */
  stderr: Float64Array | null;
}

/**
 * A sampling estimator driven from outside.
 *
 * - `ask(max)` returns the next coalitions whose values it needs: whole
 *   sampling units only (an antithetic permutation pair, a paired sample, ...)
 *   and at most `max` coalitions, so a driver that passes its remaining budget
 *   of distinct evaluations never overspends. An empty batch means the
 *   estimator cannot use `max` more evaluations (done, or the next unit does
 *   not fit).
 * - `tell(values)` gives the values of the last batch, in the same order.
 * - `estimate()` may be called at any time after the first tell.
 *
 * Drivers may answer repeated coalitions from a cache; the estimator never
 * needs to know whether a value was fresh.
 */
export interface CoalitionSampler {
  readonly players: number;
  ask(max: number): MaskBatch;
  tell(values: Float64Array): void;
  estimate(): SamplerEstimate;
  /** Releases Wasm-side state. */
  dispose(): void;
}
