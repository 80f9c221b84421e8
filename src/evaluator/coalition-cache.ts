// Values of coalitions already paid for, keyed by bitmask, so an evaluator
// is called at most once per coalition and an interrupted run can resume.
import * as z from 'zod/mini';
import { InputError } from '../core/errors.js';
import { maskWords, type MaskBatch } from '../estimators/ask-tell.js';
import { describe, isRecord, parseOrThrow } from '../core/validate.js';
import { playersSchema } from '../core/schemas.js';
import { MaskValues } from './mask-values.js';
import { popcount32 } from '../core/bits.js';

/** The JSON form of a cache: `coalitions` maps a hex bitmask (bit i = players[i]) to v(S). */
export interface CoalitionCacheJSON {
  format: typeof CACHE_FORMAT;
  version: 1;
  players: string[];
  coalitions: Record<string, number>;
}

const CACHE_FORMAT = 'agent-credit/coalition-cache';

/** Masks up to 53 bits are kept as numbers (exact in a double); wider ones as hex strings. */
type Key = number | string;

const HEX_MASK = /^(0|[1-9a-f][0-9a-f]*)$/;

// The coalitions are checked by fromJSON's own loop: a schema per entry makes a million-entry cache take seconds.
const cacheJsonSchema = z.object({
  format: z.literal(CACHE_FORMAT, { error: `expected "${CACHE_FORMAT}"` }),
  version: z.literal(1, { error: 'expected version 1' }),
  players: playersSchema,
  coalitions: z.custom<Record<string, number>>(isRecord, { error: 'expected an object mapping hex bitmasks to values' }),
});

const cachePlayersSchema = z.object({ players: playersSchema });

/** The players a cache is kept for: unique non-empty names, or an InputError naming the culprit. */
function checkCachePlayers(players: unknown): string[] {
  return parseOrThrow(cachePlayersSchema, { players }, 'cache').players;
}

/**
 * Evaluated coalitions of one game. `result.cache` of an evaluator run is one;
 * pass it (or `JSON.parse(JSON.stringify(cache))`) as `options.cache` to
 * resume a run without paying for any coalition twice.
 */
export class CoalitionCache {
  readonly players: readonly string[];
  /** u32 words per mask (bit i = players[i]). */
  readonly words: number;
  private readonly numeric: boolean;
  /** Values by numeric key (masks of up to 53 bits), in typed arrays: read and written once per coalition asked. */
  private readonly byNumber = new MaskValues();
  /** Values by hex key (wider masks). */
  private readonly byHex = new Map<string, number>();

  constructor(players: readonly string[]) {
    // Two players under one name would share a bit once masks are renumbered: values silently wrong.
    this.players = checkCachePlayers(players);
    this.words = maskWords(players.length);
    this.numeric = players.length <= 53;
  }

  /** Coalitions held. */
  get size(): number {
    return this.byNumber.size + this.byHex.size;
  }

  /** v(S) if S (given by member names) has been evaluated. */
  get(coalition: readonly string[]): number | undefined {
    const mask = new Uint32Array(this.words);
    for (const name of coalition) {
      const i = this.players.indexOf(name);
      if (i < 0) throw new InputError(`coalition: unknown player ${JSON.stringify(name)}`);
      mask[i >> 5] |= 1 << (i & 31);
    }
    return this.lookup(this.keyOf(mask, 0));
  }

  /** The key of coalition `index` of a mask batch. @internal */
  keyOf(masks: MaskBatch, index: number): Key {
    const base = index * this.words;
    if (this.words === 1) return masks[base];
    if (this.numeric) return masks[base] + masks[base + 1] * 2 ** 32;
    return wordsToHex(masks, base, this.words);
  }

  /** v(S) for a key made by keyOf, if evaluated. @internal */
  lookup(key: Key): number | undefined {
    return typeof key === 'number' ? this.byNumber.get(key) : this.byHex.get(key);
  }

  /** Records v(S) under a key made by keyOf. @internal */
  store(key: Key, value: number): void {
    if (typeof key === 'number') this.byNumber.set(key, value);
    else this.byHex.set(key, value);
  }

  /** Makes room for `count` more numeric-keyed coalitions (a run's budget): the table does not grow mid-run. @internal */
  reserve(count: number): void {
    if (this.numeric) this.byNumber.reserve(this.byNumber.size + count);
  }

  /** The JSON form (what `JSON.stringify(cache)` writes), accepted back by `options.cache` and fromJSON. */
  toJSON(): CoalitionCacheJSON {
    const coalitions: Record<string, number> = {};
    for (const [key, value] of this.byNumber.entries()) coalitions[key.toString(16)] = value;
    for (const [key, value] of this.byHex) coalitions[key] = value;
    return { format: CACHE_FORMAT, version: 1, players: [...this.players], coalitions };
  }

  /** Rebuilds a cache from its JSON form (an object or a JSON string). */
  static fromJSON(input: CoalitionCacheJSON | string): CoalitionCache {
    const json = parseOrThrow(cacheJsonSchema, typeof input === 'string' ? parseJson(input) : input, 'cache');
    const cache = new CoalitionCache(json.players);
    const n = json.players.length;
    const digits = Math.ceil(n / 4);
    for (const hex in json.coalitions) {
      if (!Object.prototype.hasOwnProperty.call(json.coalitions, hex)) continue;
      const value: unknown = json.coalitions[hex];
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw new InputError(`cache.coalitions.${hex}: expected a finite number, got ${describe(value)}`);
      }
      if (!HEX_MASK.test(hex)) {
        throw new InputError(`cache.coalitions: key ${JSON.stringify(hex)} is not a lowercase hex bitmask (bit i = players[i])`);
      }
      if (hex.length > digits || (hex !== '0' && highestBit(hex) >= n)) {
        throw new InputError(`cache.coalitions: mask ${hex} has a bit beyond the ${n} players of the cache`);
      }
      // Masks up to 53 bits are their own keys (keyOf's numbers); wider ones are keyed by their hex.
      cache.store(cache.numeric ? parseInt(hex, 16) : hex, value);
    }
    return cache;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(`cache: not valid JSON (${(error as Error).message})`);
  }
}

function wordsToHex(masks: MaskBatch, base: number, words: number): string {
  let hex = '';
  for (let w = words - 1; w >= 0; w--) {
    const word = masks[base + w];
    if (hex) hex += word.toString(16).padStart(8, '0');
    else if (word !== 0) hex = word.toString(16);
  }
  return hex || '0';
}

function hexToWords(hex: string, words: number): Uint32Array {
  const mask = new Uint32Array(words);
  for (let w = 0, end = hex.length; end > 0 && w < words; w++, end -= 8) {
    mask[w] = parseInt(hex.slice(Math.max(0, end - 8), end), 16);
  }
  return mask;
}

function highestBit(hex: string): number {
  return 4 * (hex.length - 1) + Math.floor(Math.log2(parseInt(hex[0], 16)));
}

/**
 * The cache a run for `players` uses: the given CoalitionCache itself when it
 * was recorded for the same players in the same order (so it keeps growing),
 * else a copy with its masks renumbered to this order. Players must match as
 * a set: values of another game would be silently wrong.
 */
export function adoptCache(input: unknown, players: readonly string[]): CoalitionCache {
  if (input === undefined) return new CoalitionCache(players);
  const cache = input instanceof CoalitionCache ? input : CoalitionCache.fromJSON(input as CoalitionCacheJSON | string);
  if (cache.players.length === players.length && cache.players.every((name, i) => name === players[i])) return cache;
  const position = new Map(players.map((name, i) => [name, i]));
  const unknown = cache.players.filter((name) => !position.has(name));
  if (unknown.length > 0 || cache.players.length !== players.length) {
    throw new InputError(
      `options.cache: recorded for players [${cache.players.join(', ')}], but this game has [${players.join(', ')}]; ` +
        'a cache only serves the game it was recorded for',
    );
  }
  const renumbered = new CoalitionCache(players);
  const json = cache.toJSON();
  const source = new Uint32Array(cache.words);
  const target = new Uint32Array(renumbered.words);
  for (const [hex, value] of Object.entries(json.coalitions)) {
    source.set(hexToWords(hex, cache.words));
    target.fill(0);
    for (let i = 0; i < cache.players.length; i++) {
      if (source[i >> 5] & (1 << (i & 31))) {
        const j = position.get(cache.players[i])!;
        target[j >> 5] |= 1 << (j & 31);
      }
    }
    renumbered.store(renumbered.keyOf(target, 0), value);
  }
  return renumbered;
}

/**
 * Names of the members of coalition `index` of a mask batch, lowest bit first.
 * The array is made at its final length: this runs once per evaluate call, and
 * growing it by push cost a quarter more (npm run bench -- estimators).
 */
export function membersOf(masks: MaskBatch, index: number, players: readonly string[]): string[] {
  const words = maskWords(players.length);
  const base = index * words;
  let count = 0;
  for (let w = 0; w < words; w++) count += popcount32(masks[base + w]);
  const members = new Array<string>(count);
  let k = 0;
  for (let w = 0; w < words; w++) {
    let bits = masks[base + w];
    while (bits !== 0) {
      const low = bits & -bits;
      members[k++] = players[w * 32 + 31 - Math.clz32(low)];
      bits ^= low;
    }
  }
  return members;
}
