// Validation of value-table games: the table is indexed by coalition bitmask.
import { InputError } from './errors.js';
import { playersSchema, tableGameSchema } from './schemas.js';
import { describe, parseOrThrow } from './validate.js';
import { terminalText } from './terminal-text.js';

/**
 * The largest table exact methods accept: 2^26 values (512 MiB). The Wasm
 * allocator's blocks stop at 1 GiB, and interactions need the table and half
 * of it again.
 */
export const EXACT_MAX_PLAYERS = 26;

/**
 * A game given by its full value table, the input of the exact methods.
 *
 * @example
 * // v({}) = 0, v({a}) = 1, v({b}) = 1, v({a, b}) = 3
 * const game: TableGame = { players: ['a', 'b'], values: [0, 1, 1, 3] };
 */
export interface TableGame {
  /** Player names; bit i of a coalition mask stands for players[i]. */
  players: string[];
  /** values[mask] = v(S) for the coalition S encoded by mask; length 2^n. */
  values: Float64Array | number[];
}

/** A validated table game. */
export interface CheckedTable {
  players: string[];
  /**
   * A Float64Array, or a plain array whose entries are checked finite
   * numbers: it is not converted here, because a fresh Float64Array of 2^22
   * values costs 90 ms of page faults where the exact pass copies the array
   * straight into Wasm memory it keeps, in 2 ms (readers that need a
   * Float64Array convert it: valuesOf in attribution/shapley.ts).
   */
  values: Float64Array | number[];
  /** The values are not yet checked for NaN and infinities: the exact pass checks them (see exact.ts), other readers scan first. */
  unscanned?: true;
}

/** The members of a coalition mask, for error messages. */
export function describeMask(mask: number, players: string[]): string {
  const members = players.filter((_, i) => Math.floor(mask / 2 ** i) % 2 === 1);
  return `mask ${mask} = {${members.map(terminalText).join(', ')}}`;
}

export function checkPlayers(players: unknown): string[] {
  return parseOrThrow(playersSchema, players, 'players');
}

/**
 * The game's players (copied) and values when it is plainly what
 * tableGameSchema accepts: unique non-empty player names and a Float64Array.
 * Anything else, undefined: the schema then parses it and words the errors.
 * The schema's parse costs more than the exact pass on a small table (about
 * 1.5 of the 5 microseconds a call on 4 players takes) and a tenth of a
 * millisecond when caches are cold, so the common case skips it.
 */
function wellFormedTableGame(game: unknown): { players: string[]; values: Float64Array } | undefined {
  if (typeof game !== 'object' || game === null) return undefined;
  const { players, values } = game as { players?: unknown; values?: unknown };
  if (!(values instanceof Float64Array) || !Array.isArray(players) || players.length === 0) return undefined;
  const names = new Set<string>();
  for (let i = 0; i < players.length; i++) {
    const name: unknown = players[i];
    if (typeof name !== 'string' || name.length === 0 || names.has(name)) return undefined;
    names.add(name);
  }
  return { players: players.slice() as string[], values };
}

/**
 * Validates a table game. A Float64Array is not scanned for NaN or
 * infinities here: the exact pass finds them at no cost (its result is then
 * non-finite, and only then is the table scanned to name the entry), and
 * every other reader scans it first. A plain array is checked, not converted (see CheckedTable).
 * `inPlace` describes a table from createTable, whose views may be detached.
 */
export function checkTableGame(game: unknown, inPlace?: { n: number }): CheckedTable {
  const { players, values } = wellFormedTableGame(game) ?? parseOrThrow(tableGameSchema, game, 'game');
  const n = players.length;
  if (n > EXACT_MAX_PLAYERS) {
    throw new InputError(
      `players: a value table for ${n} players needs 2^${n} values; exact methods hold at most ${EXACT_MAX_PLAYERS} players in memory. ` +
        `For more players give an evaluate function or a built-in game and use method 'permutation'.`,
    );
  }
  const expected = 2 ** n;
  const length = inPlace ? 2 ** inPlace.n : values.length;
  if (length !== expected) {
    if (values instanceof Float64Array && values.buffer.byteLength === 0) {
      throw new InputError(`values: the Float64Array is detached (its memory was transferred or grew); expected 2^${n} = ${expected} values`);
    }
    const power = Number.isInteger(Math.log2(length)) && length > 0;
    throw new InputError(
      `values: expected 2^${n} = ${expected} values for ${n} players (values[mask], bit i = players[i]), got ${length}` +
        (power ? ` (that is a table for ${Math.log2(length)} players)` : ', which is not a power of two'),
    );
  }
  if (values instanceof Float64Array) return { players, values, unscanned: true };
  // Checked before any conversion: Float64Array.from would turn null into 0.
  checkFiniteValues(values, players);
  return { players, values: values as number[] };
}

/**
 * The largest |v| of `values`, or NaN when one of them is NaN or
 * infinite: one pass that both checks a table and sizes it (sampling scales
 * values whose squares would leave float64). Four running maxima, each
 * replaced only when an entry does not compare <= it: a larger entry, or a
 * NaN, which ends the pass (an infinity stays the maximum, and is reported
 * at the end). One maximum made every entry wait on the comparison before
 * it, 1.4 ns an entry against 0.5 at 2^20 values.
 */
export function largestMagnitude(values: Float64Array): number {
  // Bounds from the array's own length, which lets the compiler drop its checks on every read (a range given
  // as arguments kept them: 0.8 ns an entry).
  const length = values.length;
  let m0 = 0;
  let m1 = 0;
  let m2 = 0;
  let m3 = 0;
  let i = 0;
  for (; i + 3 < length; i += 4) {
    const a = Math.abs(values[i]);
    const b = Math.abs(values[i + 1]);
    const c = Math.abs(values[i + 2]);
    const d = Math.abs(values[i + 3]);
    if (!(a <= m0)) {
      if (a !== a) return NaN;
      m0 = a;
    }
    if (!(b <= m1)) {
      if (b !== b) return NaN;
      m1 = b;
    }
    if (!(c <= m2)) {
      if (c !== c) return NaN;
      m2 = c;
    }
    if (!(d <= m3)) {
      if (d !== d) return NaN;
      m3 = d;
    }
  }
  for (; i < length; i++) {
    const a = Math.abs(values[i]);
    if (!(a <= m0)) {
      if (a !== a) return NaN;
      m0 = a;
    }
  }
  const largest = Math.max(m0, m1, m2, m3);
  return largest < Infinity ? largest : NaN;
}

/** Throws an InputError naming the first entry of `values` that is not a finite number. */
export function checkFiniteValues(values: ArrayLike<unknown>, players: string[]): void {
  // A Float64Array holds numbers only: one fast pass tells whether there is anything to name.
  if (values instanceof Float64Array && !Number.isNaN(largestMagnitude(values))) return;
  for (let mask = 0; mask < values.length; mask++) {
    const value: unknown = values[mask];
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new InputError(`values[${mask}] (${describeMask(mask, players)}): expected a finite number, got ${describe(value)}`);
    }
  }
}
