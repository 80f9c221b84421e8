// Locating the first decisive error of a failed episode, three ways:
//  - 'label':        the first message labelled error/harmful, or scored below a threshold;
//  - 'prefixValue':  the first drop of the judge's success probability larger than a threshold;
//  - 'binarySearch': an oracle says whether success was still reachable after a prefix.
// Only players' messages are blamed. A context message (the user, a tool's
// output) is never a first error: labels on it are not read, a drop of the
// success probability at one is blamed on the next player message (the first
// to act on it), and binary search only tries prefixes that end with a
// player's message (so it blames that same message).
import * as z from 'zod/mini';
import { InputError } from '../core/errors.js';
import { checkKnownOptions, describe, parseOrThrow } from '../core/validate.js';
import { checkMessages, type EpisodeMessage } from './episode.js';
import { isDamaging } from './refine.js';

/** How the first error was found. */
export type FirstErrorStrategy = 'label' | 'prefixValue' | 'binarySearch';

/** The first decisive error of a failed episode and the strategy that found it. */
export interface FirstError {
  id: string;
  /** 0-based index into the episode's messages. */
  index: number;
  agent: string;
  strategy: FirstErrorStrategy;
  /** Oracle calls spent (binary search only). */
  oracleCalls?: number;
}

/**
 * isRecoverable(p): could the team still succeed after its first p messages?
 * True for p = 0 in any sensible run; must be monotone (once lost, stays lost).
 */
export type RecoverableOracle = (prefixLength: number) => boolean | Promise<boolean>;

/** Thresholds, oracle and strategy for locating the first error. */
export interface FirstErrorOptions {
  /** A score below this marks an error (label strategy). Default -0.5. */
  scoreThreshold?: number;
  /** A fall of prefixValue by more than this marks an error. Default 0.3. */
  dropThreshold?: number;
  /** When given, binary search runs instead of the label and prefixValue strategies. */
  isRecoverable?: RecoverableOracle;
  /** An isRecoverable call not settled after this many ms fails (an InputError naming the prefix); default: no limit. */
  timeoutMs?: number;
  /** Force one strategy; default: binarySearch with an oracle, else label, else prefixValue. */
  strategy?: FirstErrorStrategy;
  /** The speakers who can be blamed (an episode's `agents`); default: every speaker. */
  players?: readonly string[];
}

export const DEFAULT_SCORE_THRESHOLD = -0.5;
export const DEFAULT_DROP_THRESHOLD = 0.3;

/** Whether message m can be blamed: by one of `players`, or by anyone when no players are named. */
function blameable(players: readonly string[] | undefined): (message: EpisodeMessage) => boolean {
  if (!players) return () => true;
  const set = new Set(players);
  return (message) => set.has(message.agent);
}

/** Index of the first player's error/harmful label or score below the threshold, or -1. */
export function firstLabelledError(messages: readonly EpisodeMessage[], scoreThreshold = DEFAULT_SCORE_THRESHOLD, players?: readonly string[]): number {
  const isPlayer = blameable(players);
  return messages.findIndex((message) => isPlayer(message) && (isDamaging(message.label) || (message.score !== undefined && message.score < scoreThreshold)));
}

/**
 * The success probability before anyone has spoken, against which the first
 * prefix value is compared: nothing is known yet, so even odds. A first
 * message judged below 0.5 - dropThreshold is a fall, as any later one is.
 */
export const PRIOR_PREFIX_VALUE = 0.5;

/**
 * Index of the first message after which prefixValue fell by more than the
 * threshold (the first one: from PRIOR_PREFIX_VALUE), or -1. A fall at a
 * context message is blamed on the next player message (the first to act on
 * what the context turn brought), as binary search would find it; with no
 * player message after it, -1.
 */
export function firstValueDrop(messages: readonly EpisodeMessage[], dropThreshold = DEFAULT_DROP_THRESHOLD, players?: readonly string[]): number {
  const isPlayer = blameable(players);
  let previous = PRIOR_PREFIX_VALUE;
  for (let m = 0; m < messages.length; m++) {
    const value = messages[m].prefixValue;
    if (value === undefined) continue;
    if (previous - value > dropThreshold) {
      for (let next = m; next < messages.length; next++) if (isPlayer(messages[next])) return next;
      return -1;
    }
    previous = value;
  }
  return -1;
}

/** The oracle's answer, or a rejection once `timeoutMs` passes (an oracle that never answers must not hang the run). */
function answerWithin(oracle: RecoverableOracle, prefixLength: number, timeoutMs: number | undefined): Promise<unknown> {
  const answer = Promise.resolve().then(() => oracle(prefixLength));
  if (timeoutMs === undefined) return answer;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within timeoutMs = ${timeoutMs} ms`)), Math.min(timeoutMs, 2 ** 31 - 1));
  });
  return Promise.race([answer, timeout]).finally(() => clearTimeout(timer));
}

async function ask(oracle: RecoverableOracle, prefixLength: number, timeoutMs?: number): Promise<boolean> {
  let answer: unknown;
  try {
    answer = await answerWithin(oracle, prefixLength, timeoutMs);
  } catch (error) {
    throw new InputError(`isRecoverable(${prefixLength}) failed: ${(error as Error)?.message ?? String(error)}`);
  }
  if (typeof answer !== 'boolean') throw new InputError(`isRecoverable(${prefixLength}): expected true or false, got ${describe(answer)}`);
  return answer;
}

const timeoutMsSchema = z.optional(z.number({ error: (issue) => `expected a finite number of ms > 0, got ${describe(issue.input)}` }).check(
  z.refine((x) => x > 0, { error: (issue) => `expected a finite number of ms > 0, got ${describe(issue.input)}` }),
));

const firstErrorOptionsSchema = z.looseObject({
  scoreThreshold: z.optional(z.number({ error: (issue) => `expected a finite number, got ${describe(issue.input)}` })),
  dropThreshold: z.optional(z.number({ error: (issue) => `expected a finite number, got ${describe(issue.input)}` }).check(
    z.refine((x) => x >= 0 && x <= 1, { error: (issue) => `expected a fall of the success probability in [0, 1], got ${describe(issue.input)}` }),
  )),
  isRecoverable: z.optional(z.custom<RecoverableOracle>((value) => typeof value === 'function', { error: (issue) => `expected isRecoverable(prefixLength) as a function, got ${describe(issue.input)}` })),
  timeoutMs: timeoutMsSchema,
  strategy: z.optional(z.enum(['label', 'prefixValue', 'binarySearch'], { error: (issue) => `expected 'label', 'prefixValue' or 'binarySearch', got ${describe(issue.input)}` })),
  players: z.optional(z.array(z.string({ error: (issue) => `expected a player's name as a string, got ${describe(issue.input)}` }), { error: (issue) => `expected the players' names as an array, got ${describe(issue.input)}` })),
});

const FIRST_ERROR_OPTIONS = ['scoreThreshold', 'dropThreshold', 'isRecoverable', 'timeoutMs', 'strategy', 'players'];

/** `options` of a public call checked once: null is the defaults; an unknown name or a bad value is an InputError naming it. */
function checkedOptions<T extends object>(options: T | null | undefined, known: readonly string[], context: string): T {
  if (options === undefined || options === null) return {} as T;
  checkKnownOptions(options, known);
  parseOrThrow(z.object({ options: firstErrorOptionsSchema }), { options }, context);
  return options;
}

/**
 * Binary search for the shortest unrecoverable prefix of `length` messages.
 * Returns the index of its last message (the first error) or -1 when even
 * the whole run is recoverable, with the number of oracle calls: at most
 * ceil(log2(length)) + 1 (one to confirm the whole run is lost, then a
 * bisection of the `length` candidates). With `candidates` (ascending message
 * indices below `length`), only prefixes ending at those messages are tried,
 * and the index returned is one of them. Arguments that are not so are an
 * InputError naming them.
 */
export function searchFirstError(
  length: number, oracle: RecoverableOracle, candidates?: readonly number[], options: Pick<FirstErrorOptions, 'timeoutMs'> = {},
): Promise<{ index: number; calls: number }> {
  // Async, so a bad argument rejects as a failing oracle would.
  return Promise.resolve().then(() => {
    // Unchecked, a length of -1 gave index -2, NaN null, Infinity -1 after two calls, and unsorted candidates a wrong message.
    const issues = [];
    if (!Number.isSafeInteger(length) || length < 0) issues.push({ path: 'length', message: `expected a number of messages, an integer >= 0, got ${describe(length)}` });
    if (typeof oracle !== 'function') issues.push({ path: 'oracle', message: `expected isRecoverable(prefixLength) as a function, got ${describe(oracle)}` });
    if (candidates !== undefined) {
      if (!Array.isArray(candidates)) issues.push({ path: 'candidates', message: `expected an array of message indices, got ${describe(candidates)}` });
      else {
        const bad = candidates.findIndex((k, i) => !Number.isInteger(k) || k < 0 || k >= length || (i > 0 && k <= candidates[i - 1]));
        if (bad >= 0) issues.push({ path: `candidates[${bad}]`, message: `expected ascending message indices, integers from 0 to ${length - 1}, got ${describe(candidates[bad])}${bad > 0 ? ` after ${describe(candidates[bad - 1])}` : ''}` });
      }
    }
    if (issues.length > 0) throw new InputError(issues, 'searchFirstError');
    return bisect(length, oracle, candidates, checkedOptions(options, ['timeoutMs'], 'searchFirstError'));
  });
}

/** searchFirstError of checked arguments. */
async function bisect(
  length: number, oracle: RecoverableOracle, candidates: readonly number[] | undefined, options: Pick<FirstErrorOptions, 'timeoutMs'>,
): Promise<{ index: number; calls: number }> {
  const { timeoutMs } = options;
  const count = candidates ? candidates.length : length;
  // Candidate k (1-based) is the prefix that ends with message end(k - 1).
  const end = (k: number) => (candidates ? candidates[k] : k);
  if (count === 0) return { index: -1, calls: 0 };
  let calls = 1;
  if (await ask(oracle, end(count - 1) + 1, timeoutMs)) return { index: -1, calls };
  // Invariant: candidate `high` is lost; every candidate before `low` is recoverable.
  let low = 1;
  let high = count;
  while (low < high) {
    const middle = (low + high) >>> 1;
    calls++;
    if (await ask(oracle, end(middle - 1) + 1, timeoutMs)) low = middle + 1;
    else high = middle;
  }
  return { index: end(high - 1), calls };
}

function located(messages: readonly EpisodeMessage[], index: number, strategy: FirstErrorStrategy, oracleCalls?: number): FirstError | null {
  if (index < 0) return null;
  const error: FirstError = { id: messages[index].id, index, agent: messages[index].agent, strategy };
  if (oracleCalls !== undefined) error.oracleCalls = oracleCalls;
  return error;
}

/** The label or prefixValue strategy (the chosen one, else label then prefixValue); needs no oracle. */
export function annotatedFirstError(messages: readonly EpisodeMessage[], options: FirstErrorOptions = {}): FirstError | null {
  const byLabel = () => located(messages, firstLabelledError(messages, options.scoreThreshold, options.players), 'label');
  const byValue = () => located(messages, firstValueDrop(messages, options.dropThreshold, options.players), 'prefixValue');
  if (options.strategy === 'label') return byLabel();
  if (options.strategy === 'prefixValue') return byValue();
  return byLabel() ?? byValue();
}

/**
 * Runs the chosen (or first applicable) strategy; null when none finds an
 * error. Messages or options that are not what they should be (an unknown
 * option or strategy, a score outside [-1, 1]) reject with an InputError.
 */
export async function findFirstError(messages: readonly EpisodeMessage[], options: FirstErrorOptions = {}): Promise<FirstError | null> {
  // Unchecked, a misspelled strategy or threshold ran the defaults in silence.
  checkMessages(messages, 'messages', 'findFirstError', { full: true });
  return firstErrorOf(messages, checkedOptions(options, FIRST_ERROR_OPTIONS, 'findFirstError'));
}

/** findFirstError of checked messages and options (an episode's). */
export async function firstErrorOf(messages: readonly EpisodeMessage[], options: FirstErrorOptions): Promise<FirstError | null> {
  const strategy = options.strategy ?? (options.isRecoverable ? 'binarySearch' : undefined);
  if (strategy !== 'binarySearch') return annotatedFirstError(messages, options);
  const oracle = options.isRecoverable;
  if (!oracle) throw new InputError("strategy 'binarySearch' needs an isRecoverable(prefixLength) oracle");
  // The candidates are the prefixes that end with a player's message; the oracle still sees message counts.
  const isPlayer = blameable(options.players);
  const ends: number[] = [];
  messages.forEach((message, m) => {
    if (isPlayer(message)) ends.push(m);
  });
  const { index, calls } = await bisect(messages.length, oracle, ends, options);
  return located(messages, index, 'binarySearch', calls);
}
