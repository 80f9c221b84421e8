// Agent credit: Shapley values and pairwise interactions of an episode's
// coalition game. Tables from many episodes go through the Wasm core in one
// call per batch; an evaluator goes through shapley()'s evaluator path.
import type { EvaluatorOptions } from '../evaluator/evaluator-game.js';
import { shapley } from '../attribution/shapley.js';
import { exactInteractionMatrix, packTables } from '../core/exact.js';
import { kernelExports } from '../core/wasm/module.js';
import { withWindow } from '../core/wasm/window.js';

export interface AgentCredit {
  values: Float64Array;
  /** Standard errors when the values were sampled, else null. */
  stderr: Float64Array | null;
  /** n x n row-major interaction matrix; null when not every coalition was evaluated. */
  interactions: Float64Array | null;
  /** The largest |v(S)| among the coalition values the credit came from (the scale of its rounding). */
  scale: number;
  /** v(whole team) as the evaluator gave it (undefined for tables, and when it was never evaluated). */
  team?: number;
}

function largestMagnitude(values: ArrayLike<number>): number {
  let largest = 0;
  for (let k = 0; k < values.length; k++) {
    const magnitude = Math.abs(values[k]);
    if (magnitude > largest) largest = magnitude;
  }
  return largest;
}

/** v(S) for the named agents; may be slow and asynchronous (an LLM judge). Abort the work when `context.signal` fires. */
export type CoalitionEvaluator = (coalition: string[], context: { signal: AbortSignal }) => number | Promise<number>;

/** Exact Shapley values and interaction matrices of many small tables, in one Wasm call each. */
export async function exactCreditBatch(tables: readonly Float64Array[]): Promise<AgentCredit[]> {
  if (tables.length === 0) return [];
  const sizes = new Int32Array(tables.length);
  let totalValues = 0;
  let totalPlayers = 0;
  let totalCells = 0;
  tables.forEach((table, k) => {
    const n = Math.round(Math.log2(table.length));
    sizes[k] = n;
    totalValues += table.length;
    totalPlayers += n;
    totalCells += n * n;
  });
  const core = await kernelExports();
  const [values, matrices] = withWindow(core, (window) => {
    const sizeSlot = window.add(tables.length, 4);
    const tableSlot = packTables(window, tables, totalValues);
    const valueSlot = window.add(totalPlayers);
    const matrixSlot = window.add(totalCells);
    window.i32(sizeSlot, tables.length).set(sizes);
    const pointer = window.pointer(tableSlot);
    const sizesPointer = window.pointer(sizeSlot);
    core.shapleyBatch(pointer, sizesPointer, tables.length, window.pointer(valueSlot));
    core.interactionsBatch(pointer, sizesPointer, tables.length, window.pointer(matrixSlot));
    return [window.f64(valueSlot, totalPlayers).slice(), window.f64(matrixSlot, totalCells).slice()];
  });
  const credits: AgentCredit[] = [];
  let valueOffset = 0;
  let cellOffset = 0;
  sizes.forEach((n, k) => {
    credits.push({
      values: values.subarray(valueOffset, valueOffset + n),
      stderr: null,
      interactions: matrices.subarray(cellOffset, cellOffset + n * n),
      scale: largestMagnitude(tables[k]),
    });
    valueOffset += n;
    cellOffset += n * n;
  });
  return credits;
}

/**
 * The standard errors a sampled run with these options would report, found
 * without evaluating anything. Whether a standard error is defined depends
 * only on how often each player's marginal contributions were drawn; the
 * permutation and design samplers (msr, kernel, svarm) draw the same
 * coalitions whatever the values, and stratified's allocation, which reads
 * them, starts from a unit per stratum that defines every standard error.
 * So a run on a game worth 0 everywhere tells (a test compares it with real
 * runs). Null when the budget covers every coalition (exact credit).
 */
export async function plannedStandardErrors(players: string[], options: Pick<EvaluatorOptions, 'method' | 'budget' | 'seed'>): Promise<Float64Array | null> {
  const { stderr } = await shapley({ players, evaluate: () => 0 }, { method: options.method, budget: options.budget, seed: options.seed });
  return stderr;
}

/**
 * Credit through an evaluator: shapley()'s evaluator path decides how many
 * coalitions to ask for (exact or sampled with stderr). The values it returns
 * are recorded, so when it evaluated all 2^n coalitions the interactions come
 * from the same table at no extra cost.
 */
export async function evaluatorCredit(players: string[], evaluate: CoalitionEvaluator, options: EvaluatorOptions): Promise<AgentCredit> {
  const index = new Map(players.map((player, i) => [player, i]));
  const n = players.length;
  const recorded = n <= 20 ? new Float64Array(2 ** n).fill(Number.NaN) : null;
  let scale = 0;
  let team: number | undefined;
  const recording: CoalitionEvaluator = async (coalition, context) => {
    const value = await evaluate(coalition, context);
    if (Math.abs(value) > scale) scale = Math.abs(value);
    if (coalition.length === n) team = value;
    if (recorded) {
      let mask = 0;
      for (const player of coalition) mask |= 1 << index.get(player)!;
      recorded[mask] = value;
    }
    return value;
  };
  const result = await shapley({ players, evaluate: recording }, options);
  const complete = recorded !== null && recorded.every((value) => Number.isFinite(value));
  return {
    values: result.values,
    stderr: result.stderr,
    interactions: complete ? await exactInteractionMatrix(recorded, n) : null,
    scale,
    team,
  };
}
