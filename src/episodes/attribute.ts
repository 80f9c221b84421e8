// From episode to training signals: agent credit, message rewards, the first
// error, preferences. One episode at a time (attributeEpisode, which may call
// an evaluator, an oracle or a judge) or many at once (attributeEpisodes,
// whose coalition tables share one Wasm call per batch; with a judge or an
// evaluator, episodes are judged one after another).
import * as z from 'zod/mini';
import { evaluatorCredit, exactCreditBatch, plannedStandardErrors, type AgentCredit, type CoalitionEvaluator } from './credit.js';
import { asEpisode, EpisodeError, type Episode, type RecordSource } from './episode.js';
import { distinctEpisodeId, placedEpisodeId } from './episode-ids.js';
import { InputError } from '../core/errors.js';
import { annotatedFirstError, type FirstError, type FirstErrorOptions } from './first-error.js';
import { fillLabels, locateFirstError, usageSince, whyNoFirstError, type SignalSources, type ValueSource } from './fill.js';
import type { EpisodeJudge, JudgeUsage } from './judge-contract.js';
import { episodePreferences, type Preference } from './preferences.js';
import { nullCreditTolerance, successRewards, type SplitFallBack } from './refine.js';
import { judgedLabelsGiveWay } from './judged-labels.js';
import { repairRewards } from './repair.js';
import { playerMessageIndices } from './vocabulary.js';
import { EVALUATOR_OPTIONS, parseEvaluatorOptions, type EvaluatorOptions } from '../evaluator/evaluator-game.js';
import { EvaluatorError } from '../evaluator/evaluator-error.js';
import { checkKnownOptions, describe, parseOrThrow } from '../core/validate.js';
import { annotationAgreement, type AnnotationAgreement } from './annotations.js';

/** The training signals of one episode (one JSON line of `agent-credit attribute`). */
export interface Signals {
  id: string;
  success: boolean;
  /** Shapley credit per agent (players only); credit and stderr are null when the episode has no coalition values. */
  agents: Array<{ agent: string; credit: number | null; stderr: number | null }>;
  /** Pairwise interaction index, rows and columns in the order of `agents`; null without a full table. */
  interactions: number[][] | null;
  /**
   * One reward per player message, in order; context messages (user, system,
   * tools) have none. Empty for a failed episode whose first error was not
   * located and that has no credit to split (see `warnings`).
   */
  messages: Array<{ id: string; agent: string; reward: number }>;
  firstError: FirstError | null;
  preferences: Preference[];
  /** Where each value came from (`given`, `judged` or `evaluated`); present when a judge or evaluator took part. */
  sources?: SignalSources;
  /** What the judge spent on this episode; present when a judge took part. */
  usage?: JudgeUsage;
  /** Why some signal is missing (e.g. no first error located, so no rewards); present when there is one. */
  warnings?: string[];
  /** The episode's annotations (a dataset's own verdict, e.g. Who&When's mistake_agent), when it has any. */
  annotations?: Record<string, unknown>;
  /** Whether `firstError` agrees with the annotated mistake_agent / mistake_step; present with `annotations`. */
  annotationAgreement?: AnnotationAgreement;
}

/** v(S) of one episode's coalition, for attributeEpisodes: a re-run of the team with only `agents`, or a judge. */
export type EpisodeEvaluator = (episode: Episode, agents: string[], context: { signal: AbortSignal }) => number | Promise<number>;

/** Options of attributeEpisodes (and the common part of attributeEpisode's). */
export interface BatchAttributeOptions {
  /** Every |message reward| stays within this. Default 1. */
  bound?: number;
  /** First-error strategy for failed episodes: 'label', 'prefixValue' or 'binarySearch' (default: binarySearch with an oracle, else label, then prefixValue). */
  strategy?: FirstErrorOptions['strategy'];
  scoreThreshold?: number;
  dropThreshold?: number;
  /**
   * Fills in what an episode lacks: coalition values of a success without a
   * table, labels and scores of messages without them, the first error of a
   * failure (by its labels, its prefix values with `strategy: 'prefixValue'`,
   * or binary search over `judge.recoverable` with `strategy: 'binarySearch'`).
   */
  judge?: EpisodeJudge;
  /**
   * v(team): 'judged' (default) lets the judge or evaluator value the whole
   * team like any coalition, and `sources.team` reports it beside
   * outcome.score; 'outcome' pins v(team) to outcome.score.
   */
  teamValue?: 'judged' | 'outcome';
  /** Coalition values per episode (judge or evaluator calls): exact when 2^n fits, else sampled with standard errors. Default 256 with a judge. */
  budget?: number;
  /** Seed of the sampler when the budget does not cover 2^n. Default 0. */
  seed?: number;
  /** Judgements (or evaluate calls) of one episode in flight at most. Default 8. */
  concurrency?: number;
  /** Stops the run: no further judgement starts. */
  signal?: AbortSignal;
}

/** Options of attributeEpisodes. */
export interface AttributeEpisodesOptions extends BatchAttributeOptions {
  /** v(S) of an episode's coalition (e.g. a re-run of the team with only those agents), instead of a judge. */
  evaluate?: EpisodeEvaluator;
  /** Called after each episode with its index and the signals (or error) it got: progress for long judged runs. */
  onEpisode?: (index: number, result: Signals) => void;
}

/**
 * Options of attributeEpisode. With `evaluate` or `judge`, the evaluator
 * options of shapley() apply too (method, budget, seed, concurrency,
 * tolerance, signal, onProgress, timeoutMs, retries, cache).
 */
export interface AttributeOptions extends BatchAttributeOptions, EvaluatorOptions {
  /**
   * v(S) for a coalition of agents (see ablate()), for an episode without
   * `coalitions`: given coalition values are used when present, and
   * `signals.warnings` says that evaluate was not called for them.
   */
  evaluate?: CoalitionEvaluator;
  /** Oracle for binary search of the first error (failed episodes); `timeoutMs` bounds each of its calls too. */
  isRecoverable?: FirstErrorOptions['isRecoverable'];
}

/** With a judge, a budget that buys every coalition of up to 8 agents and samples beyond. */
export const DEFAULT_JUDGED_BUDGET = 256;

/** The options of attributeEpisodes without a judge or evaluator (BatchAttributeOptions). */
const BATCH_OPTIONS = ['bound', 'strategy', 'scoreThreshold', 'dropThreshold'];
const JUDGED_OPTIONS = ['judge', 'teamValue', 'budget', 'seed', 'concurrency', 'signal'];

const fn = (what: string) => z.custom<(...args: never[]) => unknown>((value) => typeof value === 'function', { error: `expected ${what} as a function` });
const finiteIn = (what: string, check: (x: number) => boolean, expected: string) =>
  z.number({ error: `expected ${what} as a number` }).check(z.refine(check, { error: (issue) => `expected ${what} ${expected}, got ${String(issue.input)}` }));
const JUDGE_METHODS = ['value', 'evaluator', 'labels', 'prefixValues', 'recoverable', 'usage'] as const;
const judgeSchema = z.custom<EpisodeJudge>(
  (value) => typeof value === 'object' && value !== null && JUDGE_METHODS.every((method) => typeof (value as unknown as Record<string, unknown>)[method] === 'function'),
  { error: `expected a judge: an object with ${JUDGE_METHODS.join(', ')} methods (createJudge from agent-credit/judge makes one)` },
);

export const attributeOptionsSchema = z.looseObject({
  bound: z.optional(finiteIn('bound', (x) => x > 0, 'as a positive number', )),
  strategy: z.optional(z.enum(['label', 'prefixValue', 'binarySearch'], { error: (issue) => `expected label, prefixValue or binarySearch; got ${describe(issue.input)}` })),
  scoreThreshold: z.optional(finiteIn('scoreThreshold', (x) => x >= -1 && x <= 1, 'in [-1, 1]')),
  dropThreshold: z.optional(finiteIn('dropThreshold', (x) => x >= 0 && x <= 1, 'in [0, 1]')),
  evaluate: z.optional(fn('evaluate(coalition)')),
  isRecoverable: z.optional(fn('isRecoverable(prefixLength)')),
  judge: z.optional(judgeSchema),
  teamValue: z.optional(z.enum(['judged', 'outcome'], { error: (issue) => `expected teamValue 'judged' or 'outcome'; got ${describe(issue.input)}` })),
  onEpisode: z.optional(fn('onEpisode(index, signals)')),
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

/**
 * Sampled credit comes with its standard errors. One that is unknown (a
 * budget too small to sample an agent's marginal contributions twice) is an
 * error: written out it would be null, which reads as exact, and a silent
 * agent's credit could not be told from noise.
 */
function checkStandardErrors(episode: Episode, stderr: Float64Array | null, budget: number | undefined): void {
  const unknown = stderr ? stderr.findIndex((error) => !Number.isFinite(error)) : -1;
  if (unknown < 0) return;
  const n = episode.agents.length;
  throw new InputError([{
    path: 'options.budget',
    message: `${budget === undefined ? 'the default budget' : `a budget of ${budget}`} leaves the standard error of agent ${JSON.stringify(episode.agents[unknown])}'s sampled credit unknown (too few samples of its marginal contributions); raise it (CLI: --budget), up to 2^${n} = ${2 ** n} for exact credit`,
  }]);
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

/** Why a failed episode without credit gets no rewards, when no judge or oracle looked for its first error. */
const NO_FIRST_ERROR =
  'no first error located and no coalition values: no message rewards (zeros would look like results). ' +
  'Give the messages labels or prefix values, or pass a judge (CLI: --judge URL --model NAME) or an oracle';

/**
 * The message rewards, or null when there are none to give (a failure without
 * a located error or credit). `fallBack` says what to do with an agent whose
 * credit its labels cannot carry (see judged-labels.ts).
 */
function rewardsOf(episode: Episode, credit: AgentCredit | null, firstError: FirstError | null, bound: number, fallBack?: SplitFallBack): Float64Array | null {
  if (credit) checkFinite(episode, credit);
  if (episode.outcome.success || !firstError) {
    if (credit) return successRewards(episode.agents, credit.values, episode.messages, bound, zeroTolerances(credit), fallBack);
    if (episode.outcome.success) {
      throw new InputError([{
        path: 'coalitions',
        message:
          `a successful episode needs the value of every coalition (all 2^${episode.agents.length}) or an evaluate function or a judge, to split the team's credit ` +
          '(library: options.evaluate or options.judge; CLI: --evaluator ./evaluate.mjs, or --judge URL --model NAME)',
      }]);
    }
    return null;
  }
  return repairRewards(episode.messages, firstError.index, bound, episode.agents);
}

/** What a judge or evaluator added to an episode's signals. */
interface Extras {
  /** Why no first error was located, when a judge or an oracle looked for one (instead of NO_FIRST_ERROR's advice to pass one). */
  noFirstError?: string;
  sources?: SignalSources;
  usage?: JudgeUsage;
  warnings?: string[];
}

/**
 * The warning for keys a record carried outside episode v1, which parseEpisode
 * dropped. A key on every message (a timestamp, say) is named once, as
 * `messages[*].timestamp (12 times)`, so one tool's habit does not crowd out
 * the other keys.
 */
function ignoredFieldsWarning(paths: string[]): string {
  const counts = new Map<string, { first: string; count: number }>();
  for (const path of paths) {
    const pattern = path.replace(/\[\d+\]/g, '[*]');
    const seen = counts.get(pattern);
    if (seen) seen.count++;
    else counts.set(pattern, { first: path, count: 1 });
  }
  const named = [...counts].map(([pattern, { first, count }]) => (count === 1 ? first : `${pattern} (${count} times)`));
  const shown = named.length > 6 ? [...named.slice(0, 6), `and ${named.length - 6} more`] : named;
  return `ignored ${paths.length === 1 ? 'a field' : `${paths.length} fields`} that episode v1 does not read: ${shown.join(', ')} (data to keep belongs in annotations)`;
}

const GIVEN_OVER_EVALUATE = "coalitions: the episode's given coalition values were used for credit; options.evaluate was not called for them (drop coalitions to evaluate instead)";

/** Assembles the signals of one episode whose credit and first error are known. */
function assemble(episode: Episode, credit: AgentCredit | null, firstError: FirstError | null, bound: number, extras: Extras = {}): Signals {
  // Judged labels that contradict the credit give way to it, with a warning of their own.
  const setAsideWarnings: string[] = [];
  const fallBack = extras.sources && credit
    ? judgedLabelsGiveWay(extras.sources.messages, new Map(episode.agents.map((agent, i) => [agent, credit.values[i]])), setAsideWarnings)
    : undefined;
  const rewards = rewardsOf(episode, credit, firstError, bound, fallBack);
  const n = episode.agents.length;
  const signals: Signals = {
    id: episode.id,
    success: episode.outcome.success,
    agents: episode.agents.map((agent, i) => ({
      agent,
      credit: credit ? credit.values[i] : null,
      stderr: credit?.stderr ? credit.stderr[i] : null,
    })),
    interactions: credit?.interactions ? matrixRows(credit.interactions, n) : null,
    // Context messages (user, system, tools) are no one's work: no reward rows.
    messages: rewards ? playerMessageIndices(episode).map((m) => ({ id: episode.messages[m].id, agent: episode.messages[m].agent, reward: rewards[m] })) : [],
    firstError,
    preferences: episodePreferences(episode, firstError ? firstError.index : -1),
    ...(episode.annotations ? { annotations: episode.annotations, annotationAgreement: annotationAgreement(episode, firstError) } : {}),
  };
  if (extras.sources) signals.sources = extras.sources;
  if (extras.usage) signals.usage = extras.usage;
  const warnings = [
    ...(episode.ignoredFields ? [ignoredFieldsWarning(episode.ignoredFields)] : []),
    ...(rewards ? [] : [extras.noFirstError ?? NO_FIRST_ERROR]),
    ...(extras.warnings ?? []),
    ...setAsideWarnings,
  ];
  if (warnings.length > 0) signals.warnings = warnings;
  return signals;
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

/** The evaluator options a judged episode passes to shapley()'s evaluator path. */
type JudgedRun = Omit<AttributeOptions, keyof BatchAttributeOptions | 'evaluate' | 'isRecoverable'> & Pick<BatchAttributeOptions, 'budget' | 'seed' | 'concurrency' | 'signal'>;

/**
 * Signals of one episode with a judge and/or an evaluator filling in what it
 * lacks (see BatchAttributeOptions.judge); what the record gives is kept.
 */
async function judgedSignals(
  episode: Episode,
  options: BatchAttributeOptions & { evaluate?: CoalitionEvaluator; isRecoverable?: FirstErrorOptions['isRecoverable']; timeoutMs?: number },
  run: JudgedRun,
): Promise<Signals> {
  const { judge, evaluate, teamValue = 'judged', bound = 1 } = options;
  const before = judge?.usage();
  const signal = run.signal;
  // A judge values the coalitions of successes (their rewards split credit); an evaluator, of any episode.
  const base: CoalitionEvaluator | undefined = episode.table ? undefined : evaluate ?? (judge && episode.outcome.success ? judge.evaluator(episode) : undefined);
  const budget = run.budget ?? (judge && !evaluate ? DEFAULT_JUDGED_BUDGET : undefined);
  // A budget too small for every standard error fails here, before the labels or any coalition is paid for.
  if (base && budget !== undefined && budget < 2 ** episode.agents.length) {
    checkStandardErrors(episode, await plannedStandardErrors(episode.agents, { method: run.method, budget, seed: run.seed }), budget);
  }
  const creditTask = (async (): Promise<{ credit: AgentCredit | null; source: ValueSource | null; team: SignalSources['team'] }> => {
    const outcomeScore = episode.outcome.score;
    if (episode.table) {
      const [credit] = await exactCreditBatch([episode.table]);
      return { credit, source: 'given', team: { value: outcomeScore, source: 'given', outcomeScore } };
    }
    if (!base) return { credit: null, source: null, team: null };
    const source: ValueSource = evaluate ? 'evaluated' : 'judged';
    const n = episode.agents.length;
    const coalitionValue: CoalitionEvaluator = teamValue === 'outcome' ? (coalition, context) => (coalition.length === n ? outcomeScore : base(coalition, context)) : base;
    const credit = await evaluatorCredit(episode.agents, coalitionValue, { ...run, budget });
    checkStandardErrors(episode, credit.stderr, budget);
    const team = teamValue === 'outcome'
      ? { value: outcomeScore, source: 'given' as const, outcomeScore }
      : credit.team === undefined ? null : { value: credit.team, source, outcomeScore };
    return { credit, source, team };
  })();
  // Labels, then the first error, run beside the coalition values.
  const located = (async () => {
    const filled = await fillLabels(episode, judge, signal);
    if (episode.outcome.success) return { filled, firstError: null, source: null, prefixValues: null, noFirstError: undefined };
    const found = await locateFirstError(episode, filled, { ...options, judge, signal });
    const noFirstError = found.firstError || !(judge || options.isRecoverable) ? undefined : whyNoFirstError(episode, filled, { ...options, judge });
    return { filled, ...found, noFirstError };
  })();
  const [{ credit, source, team }, { filled, firstError, source: errorSource, prefixValues, noFirstError }] = await Promise.all([creditTask, located]);
  const sources: SignalSources = { credit: source, team, messages: filled.sources, prefixValues, firstError: errorSource };
  const judgedEpisode: Episode = { ...episode, messages: filled.messages };
  const usage = judge && before ? usageSince(before, judge.usage()) : undefined;
  const warnings = episode.table && evaluate ? [GIVEN_OVER_EVALUATE] : undefined;
  return assemble(judgedEpisode, credit, firstError, bound, { noFirstError, sources, usage, warnings });
}

/**
 * Signals of many episodes (records or validated episodes), their coalition
 * tables attributed together. With a `judge` or `evaluate`, what an episode
 * lacks is filled in (see BatchAttributeOptions.judge), one episode after
 * another so that each one's `usage` is its own. Throws the first episode's
 * error.
 */
export async function attributeEpisodes(episodes: readonly unknown[], options: AttributeEpisodesOptions = {}): Promise<Signals[]> {
  checkKnownOptions(options, [...BATCH_OPTIONS, ...JUDGED_OPTIONS, 'evaluate', 'onEpisode']);
  checkOptions(options);
  const { judge, evaluate, onEpisode } = options;
  if (options.strategy === 'binarySearch' && !judge) throw new InputError("options.strategy: 'binarySearch' needs an oracle; pass a judge, or use attributeEpisode with isRecoverable");
  if (!Array.isArray(episodes)) throw new InputError('episodes: expected an array of episodes');
  const checked = uniqueIds(episodes.map((episode, k) => asEpisode(episode, { file: `episodes[${k}]` })));
  if (!judge && !evaluate) {
    const results = await attributeBatch(checked, options);
    for (const result of results) if (result instanceof EpisodeError) throw result;
    results.forEach((result, k) => onEpisode?.(k, result as Signals));
    return results as Signals[];
  }
  const { budget, seed, concurrency, signal } = options;
  const run: JudgedRun = { budget, seed, concurrency, signal };
  const results: Signals[] = [];
  for (let k = 0; k < checked.length; k++) {
    const episode = checked[k];
    const perEpisode = evaluate ? (coalition: string[], context: { signal: AbortSignal }) => evaluate(episode, coalition, context) : undefined;
    try {
      results.push(await judgedSignals(episode, { ...options, evaluate: perEpisode }, run));
    } catch (error) {
      // Which of many episodes an evaluate call failed on: its coalition alone does not say.
      // The error itself is kept (its cache resumes the run), its message told where.
      if (error instanceof EvaluatorError) error.message = `episodes[${k}], episode ${JSON.stringify(episode.id)}: ${error.message}`;
      throw asEpisodeError(error, episode, { file: `episodes[${k}]` });
    }
    onEpisode?.(k, results[k]);
  }
  return results;
}

/**
 * Ids join signals to their rows and exports, so two episodes must not share
 * one. By the rule the CLI and the demo follow with file and line
 * (distinctEpisodeId), an id that repeats an earlier one is prefixed with
 * where it is: `episodes[k]/<id>`; an id that is still taken after that is
 * an InputError naming both places.
 */
function uniqueIds(episodes: Episode[]): Episode[] {
  const first = new Map<string, number>();
  return episodes.map((episode, k) => {
    const id = distinctEpisodeId(episode.id, `episodes[${k}]`, first);
    if (id === undefined) {
      throw new InputError(`episodes[${k}].id: duplicate episode id ${JSON.stringify(episode.id)} (also episodes[${first.get(episode.id)}].id), and ${JSON.stringify(placedEpisodeId(`episodes[${k}]`, episode.id))} is taken too; give each episode its own id`);
    }
    first.set(id, k);
    return id === episode.id ? episode : { ...episode, id };
  });
}

/**
 * Training signals of one episode: agent credit (from its coalitions, or from
 * `evaluate` or a `judge`), message rewards, the first error of a failed run
 * (by label, prefixValue drop or binary search with `isRecoverable` or the
 * judge) and preferences.
 *
 * @example
 * const signals = await attributeEpisode(episode);
 * const rows = toDpo(signals); // also toKto(signals), toRewards(signals, episode), toPrm(signals, episode)
 * const judged = await attributeEpisode(transcript, { judge: createJudge({ baseURL, model }) });
 */
export async function attributeEpisode(episode: Episode | unknown, options: AttributeOptions = {}): Promise<Signals> {
  checkKnownOptions(options, [...BATCH_OPTIONS, ...JUDGED_OPTIONS, 'evaluate', 'isRecoverable', ...EVALUATOR_OPTIONS]);
  const { bound, evaluate, isRecoverable, strategy, scoreThreshold, dropThreshold, judge, teamValue, ...run } = checkOptions(options);
  // The sampling options are checked whether or not this episode needs them: a
  // misspelled method must not pass on episodes with coalitions and fail later on others.
  parseEvaluatorOptions(Object.fromEntries(Object.entries(run).filter(([key]) => (EVALUATOR_OPTIONS as readonly string[]).includes(key))));
  const checked = asEpisode(episode);
  if (judge || evaluate) {
    try {
      return await judgedSignals(checked, { bound, evaluate, isRecoverable, strategy, scoreThreshold, dropThreshold, judge, teamValue, timeoutMs: run.timeoutMs }, run);
    } catch (error) {
      throw asEpisodeError(error, checked);
    }
  }
  const credit = checked.table ? (await exactCreditBatch([checked.table]))[0] : null;
  try {
    if (checked.outcome.success) return assemble(checked, credit, null, bound ?? 1);
    const filled = await fillLabels(checked, undefined);
    const locate = { isRecoverable, strategy, scoreThreshold, dropThreshold, timeoutMs: run.timeoutMs };
    const { firstError } = await locateFirstError(checked, filled, locate);
    const noFirstError = firstError || !isRecoverable ? undefined : whyNoFirstError(checked, filled, locate);
    return assemble(checked, credit, firstError, bound ?? 1, { noFirstError });
  } catch (error) {
    throw asEpisodeError(error, checked);
  }
}
