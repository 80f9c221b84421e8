// From episode to training signals: agent credit, message rewards, the first
// error, preferences. One episode at a time (attributeEpisode, which may call
// an evaluator and an oracle) or many at once (attributeEpisodes, whose
// coalition tables share one Wasm call per batch).
import * as z from 'zod/mini';
import { evaluatorCredit, exactCreditBatch, type AgentCredit, type CoalitionEvaluator } from './credit.js';
import { asEpisode, EpisodeError, type Episode, type RecordSource } from './episode.js';
import { InputError } from '../core/errors.js';
import { annotatedFirstError, findFirstError, type FirstError, type FirstErrorOptions } from './first-error.js';
import { preferencesOf, type Preference } from './preferences.js';
import { nullCreditTolerance, successRewards } from './refine.js';
import { failureRewards } from './repair.js';
import { playerMessageIndices } from './vocabulary.js';
import { EVALUATOR_OPTIONS, type EvaluatorOptions } from '../evaluator/evaluator-game.js';
import { checkKnownOptions, parseOrThrow } from '../core/validate.js';

/** The training signals of one episode (one JSON line of `agent-credit attribute`). */
export interface Signals {
  id: string;
  success: boolean;
  /** Shapley credit per agent (players only); credit and stderr are null when the episode has no coalition values. */
  agents: Array<{ agent: string; credit: number | null; stderr: number | null }>;
  /** Pairwise interaction index, rows and columns in the order of `agents`; null without a full table. */
  interactions: number[][] | null;
  /** One reward per player message, in order; context messages (user, system, tools) have none. */
  messages: Array<{ id: string; agent: string; reward: number }>;
  firstError: FirstError | null;
  preferences: Preference[];
}

/** Options of attributeEpisodes (and the common part of attributeEpisode's). */
export interface BatchAttributeOptions {
  /** Every |message reward| stays within this. Default 1. */
  bound?: number;
  /** First-error strategy for failed episodes: 'label' or 'prefixValue' (default: label, then prefixValue). */
  strategy?: FirstErrorOptions['strategy'];
  scoreThreshold?: number;
  dropThreshold?: number;
}

/**
 * Options of attributeEpisode. With `evaluate`, the evaluator options of
 * shapley() apply too (method, budget, seed, concurrency, tolerance, signal,
 * onProgress, timeoutMs, retries, cache).
 */
export interface AttributeOptions extends BatchAttributeOptions, EvaluatorOptions {
  /** v(S) for a coalition of agents, instead of the episode's `coalitions` (see ablate()). */
  evaluate?: CoalitionEvaluator;
  /** Oracle for binary search of the first error (failed episodes). */
  isRecoverable?: FirstErrorOptions['isRecoverable'];
}

/** The options of attributeEpisodes (BatchAttributeOptions). */
const BATCH_OPTIONS = ['bound', 'strategy', 'scoreThreshold', 'dropThreshold'];

const fn = (what: string) => z.custom<(...args: never[]) => unknown>((value) => typeof value === 'function', { error: `expected ${what} as a function` });
const finiteIn = (what: string, check: (x: number) => boolean, expected: string) =>
  z.number({ error: `expected ${what} as a number` }).check(z.refine(check, { error: (issue) => `expected ${what} ${expected}, got ${String(issue.input)}` }));

export const attributeOptionsSchema = z.looseObject({
  bound: z.optional(finiteIn('bound', (x) => x > 0, 'as a positive number', )),
  strategy: z.optional(z.enum(['label', 'prefixValue', 'binarySearch'], { error: (issue) => `expected label, prefixValue or binarySearch; got ${JSON.stringify(issue.input)}` })),
  scoreThreshold: z.optional(finiteIn('scoreThreshold', (x) => x >= -1 && x <= 1, 'in [-1, 1]')),
  dropThreshold: z.optional(finiteIn('dropThreshold', (x) => x >= 0 && x <= 1, 'in [0, 1]')),
  evaluate: z.optional(fn('evaluate(coalition)')),
  isRecoverable: z.optional(fn('isRecoverable(prefixLength)')),
});

function checkOptions<T extends BatchAttributeOptions>(options: T): T {
  parseOrThrow(attributeOptionsSchema, options, 'options');
  return options;
}

function matrixRows(matrix: Float64Array, n: number): number[][] {
  const rows: number[][] = [];
  for (let i = 0; i < n; i++) {
    const row: number[] = [];
    for (let j = 0; j < n; j++) row.push(matrix[i * n + j]);
    rows.push(row);
  }
  return rows;
}

/**
 * How far from zero each agent's credit may be when it has no messages:
 * the exact kernel's rounding on this table, plus four standard errors when
 * the credit was sampled (a silent agent's estimate is noise around 0).
 */
function zeroTolerances(credit: AgentCredit): Float64Array {
  const n = credit.values.length;
  const rounding = nullCreditTolerance(n, credit.scale);
  return Float64Array.from(credit.values, (_, i) => rounding + (credit.stderr ? 4 * credit.stderr[i] : 0));
}

/** Credit that is not finite (finite values whose Shapley sums overflow) is an error, never null credit or infinite rewards. */
function checkFinite(episode: Episode, credit: AgentCredit): void {
  credit.values.forEach((value, i) => {
    if (!Number.isFinite(value)) {
      throw new InputError([{
        path: 'coalitions',
        message: `the Shapley value of agent ${JSON.stringify(episode.agents[i])} is ${value}: the coalition values (largest |v| = ${credit.scale}) overflow the sums that make it; rescale them`,
      }]);
    }
  });
}

function rewardsOf(episode: Episode, credit: AgentCredit | null, firstError: FirstError | null, bound: number): Float64Array {
  if (credit) checkFinite(episode, credit);
  if (episode.outcome.success || !firstError) {
    if (credit) return successRewards(episode.agents, credit.values, episode.messages, bound, zeroTolerances(credit));
    if (episode.outcome.success) {
      throw new InputError([{ path: 'coalitions', message: `a successful episode needs the value of every coalition (all 2^${episode.agents.length}) or an evaluate function, to split the team's credit` }]);
    }
    return new Float64Array(episode.messages.length);
  }
  return failureRewards(episode.messages, firstError.index, bound, episode.agents);
}

/** Assembles the signals of one episode whose credit and first error are known. */
function assemble(episode: Episode, credit: AgentCredit | null, firstError: FirstError | null, bound: number): Signals {
  const rewards = rewardsOf(episode, credit, firstError, bound);
  const n = episode.agents.length;
  return {
    id: episode.id,
    success: episode.outcome.success,
    agents: episode.agents.map((agent, i) => ({
      agent,
      credit: credit ? credit.values[i] : null,
      stderr: credit?.stderr ? credit.stderr[i] : null,
    })),
    interactions: credit?.interactions ? matrixRows(credit.interactions, n) : null,
    // Context messages (user, system, tools) are no one's work: no reward rows.
    messages: playerMessageIndices(episode).map((m) => ({ id: episode.messages[m].id, agent: episode.messages[m].agent, reward: rewards[m] })),
    firstError,
    preferences: preferencesOf(episode, firstError ? firstError.index : -1),
  };
}

function asEpisodeError(error: unknown, episode: Episode, source?: RecordSource): EpisodeError {
  if (error instanceof EpisodeError) return error;
  if (error instanceof InputError) return new EpisodeError(error.issues, episode.id, source);
  throw error;
}

/**
 * Signals of many validated episodes; per episode either its Signals or the
 * EpisodeError that stops it (so a stream can skip it and go on).
 */
export async function attributeBatch(
  episodes: readonly Episode[],
  options: BatchAttributeOptions = {},
  sources: readonly RecordSource[] = [],
): Promise<Array<Signals | EpisodeError>> {
  const { bound = 1 } = options;
  const tables: Float64Array[] = [];
  for (const episode of episodes) if (episode.table) tables.push(episode.table);
  const credits = await exactCreditBatch(tables);
  let next = 0;
  return episodes.map((episode, k) => {
    const credit = episode.table ? credits[next++] : null;
    try {
      const firstError = episode.outcome.success ? null : annotatedFirstError(episode.messages, { ...options, players: episode.agents });
      return assemble(episode, credit, firstError, bound);
    } catch (error) {
      return asEpisodeError(error, episode, sources[k]);
    }
  });
}

/**
 * Signals of many episodes (records or validated episodes), their coalition
 * tables attributed together. Throws the first episode's error.
 */
export async function attributeEpisodes(episodes: readonly unknown[], options: BatchAttributeOptions = {}): Promise<Signals[]> {
  checkKnownOptions(options, BATCH_OPTIONS);
  checkOptions(options);
  if (options.strategy === 'binarySearch') throw new InputError("options.strategy: 'binarySearch' needs an oracle; use attributeEpisode with isRecoverable");
  if (!Array.isArray(episodes)) throw new InputError('episodes: expected an array of episodes');
  const results = await attributeBatch(episodes.map((episode, k) => asEpisode(episode, { file: `episodes[${k}]` })), options);
  for (const result of results) if (result instanceof EpisodeError) throw result;
  return results as Signals[];
}

/**
 * Training signals of one episode: agent credit (from its coalitions, or from
 * `evaluate`), message rewards, the first error of a failed run (by label,
 * prefixValue drop or binary search with `isRecoverable`) and preferences.
 *
 * @example
 * const signals = await attributeEpisode(episode);
 * const rows = toDpo(signals); // also toKto(signals), toRewards(signals), toPrm(signals, episode)
 */
export async function attributeEpisode(episode: Episode | unknown, options: AttributeOptions = {}): Promise<Signals> {
  checkKnownOptions(options, [...BATCH_OPTIONS, 'evaluate', 'isRecoverable', ...EVALUATOR_OPTIONS]);
  const { bound = 1, evaluate, isRecoverable, strategy, scoreThreshold, dropThreshold, ...evaluatorOptions } = checkOptions(options);
  const checked = asEpisode(episode);
  let credit: AgentCredit | null = null;
  if (evaluate) credit = await evaluatorCredit(checked.agents, evaluate, evaluatorOptions);
  else if (checked.table) [credit] = await exactCreditBatch([checked.table]);
  try {
    const firstError = checked.outcome.success ? null : await findFirstError(checked.messages, { isRecoverable, strategy, scoreThreshold, dropThreshold, players: checked.agents });
    return assemble(checked, credit, firstError, bound);
  } catch (error) {
    throw asEpisodeError(error, checked);
  }
}
