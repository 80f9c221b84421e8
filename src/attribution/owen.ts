// Owen values of a two-level game: players (e.g. messages) sit in groups
// (e.g. the agents that wrote them). Groups enter in a random order as in the
// Shapley value of the quotient game (one player per group), and each
// group's members in a random order of their own, so a group's members always
// share out exactly that group's quotient-game Shapley value.
import { adoptCache, type CoalitionCache } from '../evaluator/coalition-cache.js';
import { InputError } from '../core/errors.js';
import { evaluatorGameSchema, evaluatorOptionsSchema } from '../core/schemas.js';
import { maskWords, type CoalitionSampler, type MaskBatch, type SamplerEstimate } from '../estimators/ask-tell.js';
import { checkEnumeration, EVALUATOR_EXACT_MAX_PLAYERS, EVALUATOR_OPTIONS, isEvaluatorGame, parseEvaluatorOptions, runOnEvaluator, type EvaluatorGame, type EvaluatorOptions } from '../evaluator/evaluator-game.js';
import { GAME_KIND_ID } from '../core/games.js';
import { popcount32 } from '../core/bits.js';
import { checkGame, finiteSums, scanValues, stableGame, tableOf, valuesOf, DEFAULT_BUDGET, type CheckedGame, type Game } from './shapley.js';
import { EXACT_MAX_PLAYERS } from '../core/table.js';
import { checkKnownOptions, describe, parseOrThrow } from '../core/validate.js';
import { kernelExports } from '../core/wasm/module.js';
import { withWindow } from '../core/wasm/window.js';
import { seededRandom } from '../core/seeded-random.js';
import { buysEveryCoalition } from '../estimators/plan.js';

/**
 * How {@link owen} runs: the groups, the method and budget; for evaluator games
 * also the evaluator options (concurrency, abort, progress, cache, ...).
 *
 * @example
 * await owen(game, { groups: [['m1', 'm3'], ['m2']], budget: 2000, seed: 1 });
 */
export interface OwenOptions extends Omit<EvaluatorOptions, 'method'> {
  /** The player names of each group; every player in exactly one group. */
  groups: string[][];
  /**
   * 'exact' enumerates all 2^n coalitions; 'permutation' samples two-level
   * orders, and returns exact values with zero stderr when the budget covers
   * all 2^n coalitions (n <= 26; evaluator games: n <= 20, no tolerance);
   * 'auto' (default) picks.
   */
  method?: 'exact' | 'permutation' | 'auto';
}

/** Owen values per player, with each group's total. */
export interface OwenResult {
  /** The game's player names, indexing `values` and `stderr`. */
  players: string[];
  /** Owen value of each player. */
  values: Float64Array;
  /** Standard errors when sampled, else null. */
  stderr: Float64Array | null;
  /** Per group (in the order of `groups`), its members' total: the group's Shapley value in the quotient game. */
  groupValues: Float64Array;
  method: 'exact' | 'permutation';
  /** Evaluations of v spent (distinct coalitions for evaluator games). */
  evaluations: number;
}

/** Exact Owen values cost sum_k 2^(groups-1) 2^|group k| |group k| steps; beyond this 'auto' samples. */
const AUTO_EXACT_STEPS = 5e7;

/** Groups as lists of player indices, checked to partition the players. */
function groupIndices(groups: unknown, players: string[]): number[][] {
  if (!Array.isArray(groups) || groups.length === 0) {
    throw new InputError('options.groups: expected a non-empty array of groups, each an array of player names');
  }
  const index = new Map(players.map((name, i) => [name, i]));
  const owner = new Map<number, number>();
  const result = groups.map((group, k) => {
    if (!Array.isArray(group) || group.length === 0) {
      throw new InputError(`options.groups[${k}]: expected a non-empty array of player names`);
    }
    return group.map((name, j) => {
      const i = index.get(name as string);
      if (i === undefined) throw new InputError(`options.groups[${k}][${j}]: ${JSON.stringify(name)} is not one of the players`);
      const other = owner.get(i);
      if (other !== undefined) throw new InputError(`options.groups[${k}][${j}]: ${JSON.stringify(name)} is already in groups[${other}]`);
      owner.set(i, k);
      return i;
    });
  });
  const missing = players.filter((_, i) => !owner.has(i));
  if (missing.length > 0) throw new InputError(`options.groups: every player needs a group; missing ${missing.map((m) => JSON.stringify(m)).join(', ')}`);
  return result;
}

/** w(s) = s! (n-s-1)! / n!, the weight of a coalition of s others among n. */
function orderWeights(n: number): Float64Array {
  const w = new Float64Array(Math.max(n, 1));
  for (let s = 0; s < n; s++) {
    let value = 1 / n;
    for (let j = 1; j <= Math.min(s, n - 1 - s); j++) value *= j / (n - j);
    w[s] = value;
  }
  return w;
}

/** Exact Owen values from a value table (values[mask], bit i = player i). */
export function exactOwen(table: Float64Array, groups: number[][]): Float64Array {
  const n = Math.log2(table.length);
  const phi = new Float64Array(n);
  const masks = groups.map((group) => group.reduce((mask, i) => mask | (1 << i), 0) >>> 0);
  const outer = orderWeights(groups.length);
  groups.forEach((group, k) => {
    const others = masks.filter((_, j) => j !== k);
    const inner = orderWeights(group.length);
    for (let r = 0; r < 2 ** others.length; r++) {
      let base = 0;
      for (let j = 0; j < others.length; j++) if ((r >>> j) & 1) base |= others[j];
      const groupWeight = outer[popcount32(r)];
      for (let t = 0; t < 2 ** group.length; t++) {
        let inside = 0;
        for (let j = 0; j < group.length; j++) if ((t >>> j) & 1) inside |= 1 << group[j];
        const before = table[(base | inside) >>> 0];
        const weight = groupWeight * inner[popcount32(t)];
        for (let j = 0; j < group.length; j++) {
          if ((t >>> j) & 1) continue;
          phi[group[j]] += weight * (table[(base | inside | (1 << group[j])) >>> 0] - before);
        }
      }
    }
  });
  return phi;
}

function exactSteps(groups: number[][]): number {
  return groups.reduce((sum, group) => sum + 2 ** (groups.length - 1) * 2 ** group.length * group.length, 0);
}

function groupTotals(values: Float64Array, groups: number[][]): Float64Array {
  return Float64Array.from(groups, (group) => group.reduce((sum, i) => sum + values[i], 0));
}

/**
 * Samples antithetic pairs of two-level orders (a random order of the
 * groups, each group's members in random order; then the reverse) and
 * averages each player's marginal contributions along them. Asks v(empty)
 * and v(N) once, then the n-1 inner prefixes of both orders of a pair.
 */
export class OwenSampler implements CoalitionSampler {
  private readonly words: number;
  private readonly random: () => number;
  private readonly sums: Float64Array;
  private readonly squares: Float64Array;
  private pairs = 0;
  private started = false;
  private empty = 0;
  private full = 0;
  private pending: number[][] = [];

  constructor(readonly players: number, private readonly groups: number[][], private readonly totalPairs: number, seed: number) {
    this.words = maskWords(players);
    // seededRandom keeps 32 bits: fold the high half of a larger seed in (seeds below 2^32 are unchanged).
    this.random = seededRandom(((seed >>> 0) ^ Math.imul(Math.floor(seed / 2 ** 32), 0x9e3779b9)) >>> 0);
    this.sums = new Float64Array(players);
    this.squares = new Float64Array(players);
  }

  /** Evaluations the run spends: v(empty), v(N), 2(n-1) per pair. */
  static evaluations(n: number, pairs: number): number {
    return 2 + 2 * (n - 1) * pairs;
  }

  private shuffled<T>(items: T[]): T[] {
    const copy = items.slice();
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(this.random() * (i + 1));
      [copy[i], copy[j]] = [copy[j], copy[i]];
    }
    return copy;
  }

  private writeMask(out: Uint32Array, at: number, members: number[], count: number): void {
    for (let k = 0; k < count; k++) {
      const i = members[k];
      out[at * this.words + (i >>> 5)] |= 1 << (i & 31);
    }
  }

  ask(max: number): MaskBatch {
    const n = this.players;
    if (!this.started) {
      if (max < 2) return new Uint32Array(0);
      const out = new Uint32Array(2 * this.words);
      this.writeMask(out, 1, Array.from({ length: n }, (_, i) => i), n);
      return out;
    }
    const perPair = 2 * (n - 1);
    const count = Math.min(this.totalPairs - this.pairs - this.pending.length, Math.floor(max / perPair), 256);
    if (count <= 0 || n < 2) return new Uint32Array(0);
    const out = new Uint32Array(count * perPair * this.words);
    for (let p = 0; p < count; p++) {
      const order = this.shuffled(this.groups).flatMap((group) => this.shuffled(group));
      this.pending.push(order);
      const reversed = order.slice().reverse();
      for (let s = 1; s < n; s++) {
        this.writeMask(out, p * perPair + s - 1, order, s);
        this.writeMask(out, p * perPair + n - 1 + s - 1, reversed, s);
      }
    }
    return out;
  }

  tell(values: Float64Array): void {
    const n = this.players;
    if (!this.started) {
      [this.empty, this.full] = values;
      this.started = true;
      return;
    }
    const perPair = 2 * (n - 1);
    const sample = new Float64Array(n);
    this.pending.forEach((order, p) => {
      const at = (s: number, back: boolean) => (s === 0 ? this.empty : s === n ? this.full : values[p * perPair + (back ? n - 1 : 0) + s - 1]);
      for (let s = 0; s < n; s++) sample[order[s]] = (at(s + 1, false) - at(s, false)) / 2;
      for (let s = 0; s < n; s++) sample[order[n - 1 - s]] += (at(s + 1, true) - at(s, true)) / 2;
      for (let i = 0; i < n; i++) {
        this.sums[i] += sample[i];
        this.squares[i] += sample[i] * sample[i];
      }
    });
    this.pairs += this.pending.length;
    this.pending = [];
  }

  estimate(): SamplerEstimate {
    const n = this.players;
    const values = new Float64Array(n);
    const stderr = new Float64Array(n).fill(this.pairs >= 2 ? 0 : Infinity);
    if (n === 1) return { values: Float64Array.of(this.full - this.empty), stderr: new Float64Array(1) };
    for (let i = 0; i < n && this.pairs > 0; i++) {
      values[i] = this.sums[i] / this.pairs;
      if (this.pairs >= 2) {
        const spread = (this.squares[i] - this.pairs * values[i] ** 2) / (this.pairs - 1);
        stderr[i] = Math.sqrt(Math.max(spread, 0) / this.pairs);
      }
    }
    return { values, stderr };
  }

  dispose(): void {
    this.pending = [];
  }
}

/** Pairs a budget buys; at least two so the standard error can be estimated. */
function planPairs(n: number, budget: number): number {
  const pairs = Math.floor((budget - 2) / (2 * Math.max(n - 1, 1)));
  if (pairs < 2) {
    throw new InputError(`budget: sampled Owen values of ${n} players need at least ${OwenSampler.evaluations(n, 2)} evaluations (2 antithetic pairs), got ${budget}`);
  }
  return pairs;
}

/** Runs a sampler on a game held in Wasm, evaluating each batch there. */
async function runInWasm(sampler: CoalitionSampler, kindId: number, params: Float64Array): Promise<void> {
  const core = await kernelExports();
  withWindow(core, (window) => {
    const paramSlot = window.add(params.length);
    window.f64(paramSlot, params.length).set(params);
    for (;;) {
      const masks = sampler.ask(2 ** 31 - 1);
      const count = masks.length / (sampler.players > 32 ? 2 : 1);
      if (count === 0) break;
      withWindow(core, (batch) => {
        const maskSlot = batch.add(2 * count, 4);
        const out = batch.add(count);
        const words = batch.u32(maskSlot, 2 * count);
        if (sampler.players > 32) words.set(masks);
        else for (let k = 0; k < count; k++) words[2 * k] = masks[k];
        core.evaluateMasks(kindId, window.pointer(paramSlot), sampler.players, batch.pointer(maskSlot), count, batch.pointer(out));
        sampler.tell(batch.f64(out, count).slice());
      });
    }
  });
}

/**
 * Owen values: message-level credit that adds up, group by group, to each
 * group's Shapley value. Exact from all 2^n coalitions when affordable,
 * else sampled (`budget` evaluations, default 100,000).
 *
 * @example
 * const r = await owen({ players: ['p1', 'p2', 'c1'], values }, { groups: [['p1', 'p2'], ['c1']] });
 * r.values; // per message; r.groupValues: per agent
 */
export async function owen(game: Game | EvaluatorGame, options: OwenOptions): Promise<OwenResult> {
  const evaluator = isEvaluatorGame(game);
  const checked = evaluator ? null : checkGame(game);
  const players = evaluator ? (parseOrThrow(evaluatorGameSchema, game, 'game') as EvaluatorGame).players : checked!.players;
  checkKnownOptions(options, ['groups', ...EVALUATOR_OPTIONS]);
  const groups = groupIndices((options as { groups?: unknown } | undefined)?.groups, players);
  const { groups: _, method: requested = 'auto', ...rest } = options;
  if (!['exact', 'permutation', 'auto'].includes(requested)) {
    throw new InputError(`options.method: expected one of exact, permutation, auto; got ${describe(requested)}`);
  }
  // Evaluator games take shapley()'s parse, its budget cap included: every call is cached, so a budget past the cap is refused, not run.
  const parsed = evaluator ? parseEvaluatorOptions(rest) : parseOrThrow(evaluatorOptionsSchema, rest, 'options');
  const n = players.length;
  const budget = parsed.budget ?? DEFAULT_BUDGET;
  const tableReady = checked?.kind === 'table';
  const exactFits = n <= (evaluator ? EVALUATOR_EXACT_MAX_PLAYERS : EXACT_MAX_PLAYERS) && (tableReady || budget >= 2 ** n);
  const method = requested === 'auto' ? (exactFits && exactSteps(groups) <= AUTO_EXACT_STEPS ? 'exact' : 'permutation') : requested;
  const cache = evaluator ? adoptCache(parsed.cache, players) : null;
  // One player has no order to sample: as in shapley(), an evaluator game's
  // two coalitions are enumerated within the budget; a table or built-in game
  // gets here only on a budget under 2, which planPairs refuses.
  if (method === 'exact' || (evaluator && n === 1) || buysEveryCoalition(n, parsed, evaluator)) {
    // shapley()'s rule, before evaluate is called: the budget pays for the coalitions the cache lacks.
    if (cache) checkEnumeration(method, n, parsed.budget, cache);
    const { table, evaluations } = await fullTable(game, checked, parsed, cache);
    const values = finiteSums(exactOwen(table, groups));
    // Sampling that bought every coalition is exact, as in shapley(): zero stderr, the method as asked.
    const stderr = method === 'exact' ? null : new Float64Array(n);
    return { players, values, stderr, groupValues: groupTotals(values, groups), method, evaluations };
  }
  const pairs = planPairs(n, budget);
  const sampler = new OwenSampler(n, groups, pairs, parsed.seed ?? 0);
  if (evaluator) {
    const { evaluate } = game as EvaluatorGame;
    const run = await runOnEvaluator(players, evaluate, sampler, cache!, { ...parsed, budget } as Parameters<typeof runOnEvaluator>[4]);
    return { players, values: run.values, stderr: run.stderr, groupValues: groupTotals(run.values, groups), method, evaluations: run.evaluations };
  }
  scanValues(checked!);
  const sampled = stableGame(checked!);
  const [kindId, params] = sampled.kind === 'table' ? [GAME_KIND_ID.table, valuesOf(sampled)] : [GAME_KIND_ID[sampled.game.builtin], sampled.game.params];
  await runInWasm(sampler, kindId, params);
  const { values, stderr } = sampler.estimate();
  return { players, values: finiteSums(values), stderr, groupValues: groupTotals(values, groups), method, evaluations: OwenSampler.evaluations(n, pairs) };
}

/** Every value of the game, and the evaluations they cost: 2^n for a table or built-in game, the distinct evaluate calls for an evaluator game. */
async function fullTable(
  game: Game | EvaluatorGame, checked: CheckedGame | null, parsed: Parameters<typeof tableOfEvaluator>[1], cache: CoalitionCache | null,
): Promise<{ table: Float64Array; evaluations: number }> {
  if (checked) return { table: await tableOf(checked), evaluations: 2 ** checked.players.length };
  return tableOfEvaluator(game as EvaluatorGame, parsed, cache!);
}

/**
 * All 2^n values of an evaluator game, through the run's cache and the
 * evaluator driver, and the distinct coalitions evaluate was called for
 * (cached ones are free). The caller has run checkEnumeration.
 */
async function tableOfEvaluator(
  game: EvaluatorGame, parsed: Parameters<typeof runOnEvaluator>[4] | ReturnType<typeof parseOrThrow<typeof evaluatorOptionsSchema>>, cache: CoalitionCache,
): Promise<{ table: Float64Array; evaluations: number }> {
  const n = game.players.length;
  const table = new Float64Array(2 ** n);
  let next = 0;
  const collector: CoalitionSampler = {
    players: n,
    ask: (max) => {
      const count = Math.min(max, table.length - next, 4096);
      return Uint32Array.from({ length: Math.max(count, 0) }, (_, k) => next + k);
    },
    tell: (values) => {
      table.set(values, next);
      next += values.length;
    },
    estimate: () => ({ values: new Float64Array(n), stderr: null }),
    dispose: () => {},
  };
  const run = await runOnEvaluator(game.players, game.evaluate, collector, cache, {
    ...(parsed as object), budget: 2 ** n, tolerance: undefined,
  } as Parameters<typeof runOnEvaluator>[4]);
  return { table, evaluations: run.evaluations };
}
