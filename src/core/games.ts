// Built-in games computed inside Wasm, with their closed-form values. They
// serve tests and benchmarks at sizes where no table fits, and users who want
// to see the kernels' speed on a known answer.
import { InputError } from './errors.js';
import { describe } from './validate.js';

/** The built-in game families whose v(S) is computed inside Wasm. */
export type BuiltinKind = 'soum' | 'quadratic' | 'airport' | 'voting';

/** A game whose v(S) is computed in Wasm from `params` (layout per kind). */
export interface BuiltinGame {
  /** Player names, one per player index. */
  players: string[];
  /** Which family of game this is. */
  builtin: BuiltinKind;
  /** The game's parameters in the layout its Wasm kernel reads; made by the game's constructor. */
  params: Float64Array;
}

/** Wasm game ids; 0 is a value table. */
export const GAME_KIND_ID: Record<BuiltinKind | 'table', number> = {
  table: 0,
  soum: 1,
  quadratic: 2,
  airport: 3,
  voting: 4,
};

/** Built-in games use 64-bit masks inside Wasm. */
export const BUILTIN_MAX_PLAYERS = 64;

export function defaultPlayers(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `p${i}`);
}

function checkPlayerCount(n: number, what: string): void {
  if (!Number.isInteger(n) || n < 1 || n > BUILTIN_MAX_PLAYERS) {
    throw new InputError(`${what}: expected between 1 and ${BUILTIN_MAX_PLAYERS} players, got ${n}`);
  }
}

/** Built-in games name one player per index: a list of another length would credit players the game does not have. */
function fitPlayers(players: string[], n: number): string[] {
  if (Array.isArray(players) && players.length !== n) {
    throw new InputError(`players: expected ${n} names, one per player of the game, got ${players.length}`);
  }
  return players;
}

/**
 * Whether `params` has the layout the constructor of `kind` builds for n
 * players: a game made by hand would read past them in Wasm. Airport costs
 * are also checked as airportGame checks them, since a negative one makes
 * the kernel and closed form compute another game.
 */
export function paramsFit(kind: BuiltinKind, n: number, p: Float64Array): boolean {
  if (kind === 'quadratic') return p.length === n + n * n;
  if (kind === 'airport') return p.length === n && p.every(isCost);
  if (kind === 'voting') return p.length === n + 1;
  const terms = p[0];
  const ids = 3 * terms + n + 2;
  if (!Number.isInteger(terms) || terms < 0 || p.length < ids || p[ids - 1] !== p.length - ids) return false;
  for (let k = ids; k < p.length; k++) if (!(p[k] >= 0 && p[k] < terms)) return false;
  return true;
}

/** Throws unless `values` is an array or typed array (a string or a number would be read as one). */
function checkList(values: unknown, field: string): void {
  if (!Array.isArray(values) && !(ArrayBuffer.isView(values) && !(values instanceof DataView))) {
    throw new InputError(`${field}: expected an array of numbers, got ${describe(values)}`);
  }
}

function checkFinite(values: ArrayLike<number>, field: string): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) throw new InputError(`${field}[${i}]: expected a finite number, got ${describe(values[i])}`);
  }
}

/** A finite runway cost >= 0 (-0 included). */
function isCost(cost: number): boolean {
  return cost >= 0 && cost < Infinity;
}

/**
 * Refuses a negative airport cost: the kernel and the closed form start from
 * v(empty) = 0 and read v({i}) as max(0, cost), so v(S) would no longer be
 * the largest cost among S (airportGame([-1, 3]) gave [0, 3], the game as
 * documented [-0.5, 3.5]).
 */
function checkCosts(costs: ArrayLike<number>): void {
  for (let i = 0; i < costs.length; i++) {
    if (!isCost(costs[i])) throw new InputError(`costs[${i}]: expected a cost >= 0 (a runway length), got ${describe(costs[i])}`);
  }
}

/** One unanimity term: `coefficient` is earned when every member is present. */
export interface UnanimityTerm {
  /** Player indices that must all be present. */
  members: number[];
  /** What the term adds to v(S) when they are. */
  coefficient: number;
}

/**
 * Sum of unanimity games: v(S) = sum of coefficients of terms whose members are all in S.
 *
 * @example
 * // 2 when players 0 and 1 are both in S, plus 3 when 2, 3 and 4 all are: every player's value is 1.
 * const game = soumGame(5, [{ members: [0, 1], coefficient: 2 }, { members: [2, 3, 4], coefficient: 3 }]);
 * (await shapley(game)).values; // Float64Array [1, 1, 1, 1, 1]
 */
export function soumGame(n: number, terms: UnanimityTerm[], players = defaultPlayers(n)): BuiltinGame {
  checkPlayerCount(n, 'soumGame');
  if (!Array.isArray(terms)) throw new InputError(`terms: expected an array of { members: number[], coefficient: number }, got ${describe(terms)}`);
  terms.forEach((term, t) => {
    if (!Array.isArray(term?.members)) throw new InputError(`terms[${t}]: expected { members: number[], coefficient: number }, got ${describe(term)}`);
  });
  // Layout: [count, coefficients, masks (u64)], then an index for incremental
  // evaluation in Wasm: term sizes, per-player offsets, term ids by player.
  const memberships = terms.reduce((total, term) => total + new Set(term.members).size, 0);
  const params = new Float64Array(1 + 3 * terms.length + n + 1 + memberships);
  const masks = new BigUint64Array(params.buffer, 8 * (1 + terms.length), terms.length);
  const sizes = 1 + 2 * terms.length;
  const offsets = sizes + terms.length;
  const ids = offsets + n + 1;
  const termsByPlayer: number[][] = Array.from({ length: n }, () => []);
  params[0] = terms.length;
  terms.forEach((term, t) => {
    if (!Number.isFinite(term.coefficient)) {
      throw new InputError(`terms[${t}].coefficient: expected a finite number, got ${describe(term.coefficient)}`);
    }
    let mask = 0n;
    for (const member of term.members) {
      if (!Number.isInteger(member) || member < 0 || member >= n) {
        throw new InputError(`terms[${t}].members: expected player indices in [0, ${n}), got ${describe(member)}`);
      }
      if (!(mask & (1n << BigInt(member)))) termsByPlayer[member].push(t);
      mask |= 1n << BigInt(member);
    }
    params[1 + t] = term.coefficient;
    masks[t] = mask;
  });
  let cursor = ids;
  for (let i = 0; i < n; i++) {
    params[offsets + i] = cursor - ids;
    for (const t of termsByPlayer[i]) {
      params[cursor++] = t;
      params[sizes + t]++;
    }
  }
  params[offsets + n] = cursor - ids;
  return { players: fitPlayers(players, n), builtin: 'soum', params };
}

/** v(S) = sum_{i in S} linear[i] + sum_{i<j in S} pairwise[i*n+j] (upper triangle is read). */
export function quadraticGame(linear: ArrayLike<number>, pairwise: ArrayLike<number>, players = defaultPlayers(linear.length)): BuiltinGame {
  checkList(linear, 'linear');
  checkList(pairwise, 'pairwise');
  const n = linear.length;
  checkPlayerCount(n, 'quadraticGame');
  if (pairwise.length !== n * n) {
    throw new InputError(`pairwise: expected ${n * n} values (an n x n matrix), got ${pairwise.length}`);
  }
  checkFinite(linear, 'linear');
  checkFinite(pairwise, 'pairwise');
  const params = new Float64Array(n + n * n);
  params.set(linear as ArrayLike<number>, 0);
  params.set(pairwise as ArrayLike<number>, n);
  return { players: fitPlayers(players, n), builtin: 'quadratic', params };
}

/**
 * Airport game: v(S) = the largest cost among S (a runway long enough for
 * all), v(empty) = 0. Costs are finite and >= 0.
 *
 * @example
 * closedFormShapley(airportGame([1, 3])); // Float64Array [0.5, 2.5]
 */
export function airportGame(costs: ArrayLike<number>, players = defaultPlayers(costs.length)): BuiltinGame {
  checkList(costs, 'costs');
  checkPlayerCount(costs.length, 'airportGame');
  checkFinite(costs, 'costs');
  checkCosts(costs);
  return { players: fitPlayers(players, costs.length), builtin: 'airport', params: Float64Array.from(costs as ArrayLike<number>) };
}

/**
 * Weighted voting game: v(S) = 1 when the weights in S reach `quota`, else 0.
 *
 * @example
 * // Any two of three equal voters win: each holds a third of the power.
 * (await shapley(votingGame([1, 1, 1], 2))).values; // Float64Array [1/3, 1/3, 1/3]
 */
export function votingGame(weights: ArrayLike<number>, quota: number, players = defaultPlayers(weights.length)): BuiltinGame {
  checkList(weights, 'weights');
  checkPlayerCount(weights.length, 'votingGame');
  checkFinite(weights, 'weights');
  if (!Number.isFinite(quota)) throw new InputError(`quota: expected a finite number, got ${describe(quota)}`);
  const params = new Float64Array(1 + weights.length);
  params[0] = quota;
  params.set(weights as ArrayLike<number>, 1);
  return { players: fitPlayers(players, weights.length), builtin: 'voting', params };
}

/**
 * Random SOUM as in the estimator literature: `termCount` unanimity terms
 * (an integer >= 0), coefficients in [-1, 1], sizes uniform in
 * [minSize, maxSize] (integers, 1 <= minSize <= maxSize <= n), drawn with
 * `random` (values in [0, 1): seededRandom(seed) reproduces a game).
 */
export function randomSoumGame(n: number, termCount: number, minSize: number, maxSize: number, random: () => number): BuiltinGame {
  checkPlayerCount(n, 'randomSoumGame');
  // Each would otherwise pass in silence: a count of 1.5 makes 2 terms, NaN none, sizes out of order a game of garbage.
  if (!Number.isInteger(termCount) || termCount < 0) {
    throw new InputError(`randomSoumGame: termCount: expected a number of terms, an integer >= 0, got ${describe(termCount)}`);
  }
  if (!Number.isInteger(minSize) || minSize < 1 || minSize > n) {
    throw new InputError(`randomSoumGame: minSize: expected the smallest term size, an integer from 1 to n = ${n}, got ${describe(minSize)}`);
  }
  if (!Number.isInteger(maxSize) || maxSize < minSize || maxSize > n) {
    throw new InputError(`randomSoumGame: maxSize: expected the largest term size, an integer from minSize = ${minSize} to n = ${n}, got ${describe(maxSize)}`);
  }
  if (typeof random !== 'function') {
    throw new InputError(`randomSoumGame: random: expected a generator of numbers in [0, 1) such as seededRandom(seed) or Math.random, got ${describe(random)}`);
  }
  const uniform = (): number => {
    const u = random();
    if (typeof u !== 'number' || !(u >= 0 && u < 1)) throw new InputError(`randomSoumGame: random() returned ${describe(u)}; expected a number in [0, 1)`);
    return u;
  };
  const terms: UnanimityTerm[] = [];
  for (let t = 0; t < termCount; t++) {
    const size = minSize + Math.floor(uniform() * (maxSize - minSize + 1));
    const pool = Array.from({ length: n }, (_, i) => i);
    for (let i = 0; i < size; i++) {
      const j = i + Math.floor(uniform() * (n - i));
      [pool[i], pool[j]] = [pool[j], pool[i]];
    }
    terms.push({ members: pool.slice(0, size), coefficient: 2 * uniform() - 1 });
  }
  return soumGame(n, terms);
}

function soumTerms(game: BuiltinGame): { coefficient: number; members: number[] }[] {
  const count = game.params[0];
  const masks = new BigUint64Array(game.params.buffer, game.params.byteOffset + 8 * (1 + count), count);
  return Array.from({ length: count }, (_, t) => {
    const members: number[] = [];
    for (let i = 0; i < game.players.length; i++) if ((masks[t] >> BigInt(i)) & 1n) members.push(i);
    return { coefficient: game.params[1 + t], members };
  });
}

const BUILTIN_KINDS: readonly string[] = ['soum', 'quadratic', 'airport', 'voting'];

/** Throws unless `game` is a built-in game: a value table would fall through every case and return undefined. */
function checkClosedForm(game: unknown, what: string): asserts game is BuiltinGame {
  const { builtin, players, params } = (game !== null && typeof game === 'object' ? game : {}) as Partial<BuiltinGame>;
  if (typeof builtin === 'string' && BUILTIN_KINDS.includes(builtin) && Array.isArray(players) && params instanceof Float64Array && paramsFit(builtin, players.length, params)) return;
  const got = game !== null && typeof game === 'object' && 'values' in game ? 'a value table (for its values use shapley(game) or banzhaf(game))' : describe(game);
  throw new InputError(`${what}(game): expected a built-in game made by soumGame, quadraticGame, airportGame or votingGame, got ${got}`);
}

/**
 * Exact Shapley values from each game's closed form (no enumeration):
 * SOUM: each term's coefficient split evenly over its members; quadratic:
 * a_i + half of each pairwise term; airport: the Littlechild-Owen formula.
 * Voting games have no closed form and are computed by counting (O(n^2 W)).
 */
export function closedFormShapley(game: BuiltinGame): Float64Array {
  checkClosedForm(game, 'closedFormShapley');
  const n = game.players.length;
  const phi = new Float64Array(n);
  switch (game.builtin) {
    case 'soum':
      for (const term of soumTerms(game)) {
        for (const i of term.members) phi[i] += term.coefficient / term.members.length;
      }
      return phi;
    case 'quadratic':
      for (let i = 0; i < n; i++) {
        phi[i] = game.params[i];
        for (let j = 0; j < n; j++) {
          if (j !== i) phi[i] += game.params[n + Math.min(i, j) * n + Math.max(i, j)] / 2;
        }
      }
      return phi;
    case 'airport': {
      const costs = Array.from(game.params);
      const order = costs.map((_, i) => i).sort((a, b) => costs[a] - costs[b]);
      let share = 0;
      let previous = 0;
      order.forEach((player, rank) => {
        share += (Math.max(costs[player], 0) - previous) / (n - rank);
        previous = Math.max(costs[player], 0);
        phi[player] = share;
      });
      return phi;
    }
    case 'voting':
      return votingShapley(game);
  }
}

/** Exact Banzhaf values: SOUM terms give c / 2^(|T|-1) to each member; airport by sorted costs. */
export function closedFormBanzhaf(game: BuiltinGame): Float64Array {
  checkClosedForm(game, 'closedFormBanzhaf');
  const n = game.players.length;
  const beta = new Float64Array(n);
  switch (game.builtin) {
    case 'soum':
      for (const term of soumTerms(game)) {
        for (const i of term.members) beta[i] += term.coefficient / 2 ** (term.members.length - 1);
      }
      return beta;
    case 'quadratic':
      // Every marginal contribution is a_i + sum of b_ij over present j, and
      // each j is present in half of the coalitions: the same as Shapley.
      return closedFormShapley(game);
    case 'airport': {
      // The marginal of i at S is max(0, c_i - max cost of S): only subsets of
      // strictly cheaper players give anything, and the 2^r subsets whose
      // dearest member has rank r give c_i - c_(r).
      const costs = Array.from(game.params);
      for (let i = 0; i < n; i++) {
        const cheaper = costs.filter((c) => c < costs[i]).sort((a, b) => a - b);
        let total = Math.max(costs[i], 0);
        cheaper.forEach((c, rank) => {
          total += 2 ** rank * Math.max(costs[i] - Math.max(c, 0), 0);
        });
        beta[i] = total / 2 ** (n - 1);
      }
      return beta;
    }
    case 'voting':
      throw new InputError('closedFormBanzhaf: voting games have no closed form here; tabulate and use banzhaf()');
  }
}

/**
 * Shapley values of a weighted voting game with integer weights by counting
 * coalitions of each size and weight that exclude the player (swing counting).
 */
/** Work allowed for the voting closed form (a few seconds): beyond it, exact or sampled shapley() is the way. */
const VOTING_CLOSED_FORM_STEPS = 2e9;

function votingShapley(game: BuiltinGame): Float64Array {
  const n = game.players.length;
  const quota = game.params[0];
  const weights = Array.from(game.params.subarray(1));
  if (!weights.every((w) => Number.isInteger(w) && w >= 0)) {
    throw new InputError('votingGame: closed-form values need non-negative integer weights');
  }
  // Only coalition weights below the quota matter (a pivot needs w < quota), so the counts stop there.
  const top = Math.max(0, Math.min(weights.reduce((a, b) => a + b, 0), Math.ceil(quota) - 1));
  if (n ** 3 * (top + 1) > VOTING_CLOSED_FORM_STEPS) {
    throw new InputError(
      `votingGame: the closed form takes about n^3 x min(total weight, quota) = ${n ** 3 * (top + 1)} steps (at most ${VOTING_CLOSED_FORM_STEPS}); ` +
        `for weights this large use shapley(game) instead`,
    );
  }
  const total = top;
  const phi = new Float64Array(n);
  const factorial = [1];
  for (let k = 1; k <= n; k++) factorial[k] = factorial[k - 1] * k;
  for (let i = 0; i < n; i++) {
    // ways[s][w] = number of coalitions without i of size s and weight w.
    const ways = Array.from({ length: n }, () => new Float64Array(total + 1));
    ways[0][0] = 1;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      for (let s = n - 2; s >= 0; s--) {
        for (let w = total - weights[j]; w >= 0; w--) ways[s + 1][w + weights[j]] += ways[s][w];
      }
    }
    for (let s = 0; s < n; s++) {
      for (let w = 0; w <= total; w++) {
        if (ways[s][w] && w < quota && w + weights[i] >= quota) {
          phi[i] += (ways[s][w] * factorial[s] * factorial[n - s - 1]) / factorial[n];
        }
      }
    }
  }
  return phi;
}
