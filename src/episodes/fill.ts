// Filling in what an episode lacks from a judge: labels and scores of
// messages that have none, prefix values, and the first error (by labels,
// prefix values or binary search with the judge as oracle), each value
// remembering whether the record gave it or the judge did.
import { InputError } from '../core/errors.js';
import type { EpisodeJudge, JudgeUsage } from './judge-contract.js';
import { annotatedFirstError, DEFAULT_SCORE_THRESHOLD, findFirstError, type FirstError, type FirstErrorOptions, type RecoverableOracle } from './first-error.js';
import { isDamaging } from './refine.js';
import { playerMessageIndices, type Episode, type EpisodeMessage, type MessageLabel } from './vocabulary.js';

/** Where a value came from: the episode record, the judge, or the caller's evaluator/oracle. */
export type ValueSource = 'given' | 'judged' | 'evaluated';

/** A player message's label and score as used for its reward, and where each came from. */
export interface MessageSource {
  id: string;
  label: MessageLabel | null;
  labelSource: ValueSource | null;
  score: number | null;
  scoreSource: ValueSource | null;
}

/**
 * Where the values behind an episode's signals came from. Present on Signals
 * when a judge or an evaluator took part.
 */
export interface SignalSources {
  /** The coalition values behind the credit; null when the episode got no credit. */
  credit: ValueSource | null;
  /**
   * v(team), the sum the credits split, where it came from, and
   * `outcome.score` beside it: the gap between a judged v(team) and the
   * recorded score is the judge's calibration on this episode.
   */
  team: { value: number; source: ValueSource; outcomeScore: number } | null;
  /** One entry per player message, in the order of `messages`. */
  messages: MessageSource[];
  /** Where the prefix values the first error was read from came from; null when none were used. */
  prefixValues: ValueSource | null;
  /** Where the located first error came from; null when none was located. */
  firstError: ValueSource | null;
}

/** Usage `after` minus usage `before`. */
export function usageSince(before: JudgeUsage, after: JudgeUsage): JudgeUsage {
  return {
    calls: after.calls - before.calls,
    cacheHits: after.cacheHits - before.cacheHits,
    promptTokens: after.promptTokens - before.promptTokens,
    completionTokens: after.completionTokens - before.completionTokens,
    wallMs: after.wallMs - before.wallMs,
  };
}

/** The episode's messages with what the judge says filled in where the record says nothing. */
export interface FilledMessages {
  messages: EpisodeMessage[];
  sources: MessageSource[];
}

const needsLabel = (message: EpisodeMessage) => message.label === undefined || message.score === undefined;

/**
 * The player messages' labels and scores: given ones kept, missing ones from
 * one `judge.labels` call (made only when some player message lacks a label
 * or a score). Context messages keep what they have: they earn no reward.
 */
export async function fillLabels(episode: Episode, judge: EpisodeJudge | undefined, signal?: AbortSignal): Promise<FilledMessages> {
  const players = playerMessageIndices(episode);
  const messages = episode.messages.map((message) => ({ ...message }));
  const sources: MessageSource[] = players.map((m) => {
    const message = messages[m];
    return {
      id: message.id,
      label: message.label ?? null,
      labelSource: message.label === undefined ? null : 'given',
      score: message.score ?? null,
      scoreSource: message.score === undefined ? null : 'given',
    };
  });
  if (!judge || !players.some((m) => needsLabel(messages[m]))) return { messages, sources };
  const verdicts = await judge.labels(episode, { signal });
  if (!Array.isArray(verdicts) || verdicts.length !== messages.length) {
    throw new InputError(`judge.labels of episode ${JSON.stringify(episode.id)}: expected one verdict per message (${messages.length}), got ${Array.isArray(verdicts) ? verdicts.length : typeof verdicts}`);
  }
  players.forEach((m, k) => {
    const message = messages[m];
    const verdict = verdicts[m];
    if (message.label === undefined) {
      message.label = verdict.label;
      sources[k].label = verdict.label;
      sources[k].labelSource = 'judged';
    }
    if (message.score === undefined) {
      message.score = verdict.score;
      sources[k].score = verdict.score;
      sources[k].scoreSource = 'judged';
    }
  });
  return { messages, sources };
}

/** Prefix values for every message: the given ones kept, the rest from one `judge.prefixValues` call. */
async function fillPrefixValues(episode: Episode, messages: EpisodeMessage[], judge: EpisodeJudge | undefined, signal?: AbortSignal): Promise<ValueSource | null> {
  const given = messages.some((message) => message.prefixValue !== undefined);
  if (!judge || messages.every((message) => message.prefixValue !== undefined)) return given ? 'given' : null;
  const values = await judge.prefixValues(episode, { signal });
  if (!Array.isArray(values) || values.length !== messages.length) {
    throw new InputError(`judge.prefixValues of episode ${JSON.stringify(episode.id)}: expected one value per message (${messages.length}), got ${Array.isArray(values) ? values.length : typeof values}`);
  }
  messages.forEach((message, m) => {
    if (message.prefixValue === undefined) message.prefixValue = values[m];
  });
  return 'judged';
}

/** How a failed episode's first error is looked for. */
export interface LocateOptions extends Pick<FirstErrorOptions, 'scoreThreshold' | 'dropThreshold' | 'strategy' | 'isRecoverable' | 'timeoutMs'> {
  judge?: EpisodeJudge;
  signal?: AbortSignal;
}

/**
 * The first error of a failed episode whose messages were filled by
 * fillLabels. Without a forced strategy: binary search when an oracle is
 * given; else the (given or judged) labels, then the given prefix values.
 * With `strategy: 'prefixValue'` the judge fills missing prefix values; with
 * `strategy: 'binarySearch'` and no oracle, the judge's `recoverable` is the
 * oracle.
 */
export async function locateFirstError(
  episode: Episode,
  filled: FilledMessages,
  options: LocateOptions,
): Promise<{ firstError: FirstError | null; source: ValueSource | null; prefixValues: ValueSource | null }> {
  const { judge, signal, strategy, scoreThreshold, dropThreshold, isRecoverable, timeoutMs } = options;
  const { messages } = filled;
  const players = episode.agents;
  if (strategy === 'binarySearch' || (strategy === undefined && isRecoverable)) {
    let oracle: RecoverableOracle | undefined = isRecoverable;
    if (!oracle && judge) oracle = (prefixLength) => judge.recoverable(episode, prefixLength, { signal });
    if (!oracle) throw new InputError("options.strategy: 'binarySearch' needs an oracle: isRecoverable or a judge");
    const firstError = await findFirstError(messages, { strategy: 'binarySearch', isRecoverable: oracle, players, timeoutMs });
    return { firstError, source: firstError ? (isRecoverable ? 'evaluated' : 'judged') : null, prefixValues: null };
  }
  if (strategy === 'prefixValue') {
    const prefixValues = await fillPrefixValues(episode, messages, judge, signal);
    const firstError = annotatedFirstError(messages, { strategy: 'prefixValue', dropThreshold, players });
    return { firstError, source: firstError ? prefixValues : null, prefixValues };
  }
  const byLabel = annotatedFirstError(messages, { strategy: 'label', scoreThreshold, players });
  if (byLabel || strategy === 'label') {
    const source = byLabel ? labelSourceOf(filled, byLabel.id, scoreThreshold ?? DEFAULT_SCORE_THRESHOLD) : null;
    return { firstError: byLabel, source, prefixValues: null };
  }
  const given = messages.some((message) => message.prefixValue !== undefined) ? 'given' : null;
  const byValue = annotatedFirstError(messages, { strategy: 'prefixValue', dropThreshold, players });
  return { firstError: byValue, source: byValue ? 'given' : null, prefixValues: given };
}

/** A located label error is the record's when its given label or given score marks it, else the judge's. */
function labelSourceOf(filled: FilledMessages, id: string, scoreThreshold: number): ValueSource {
  const entry = filled.sources.find((source) => source.id === id)!;
  const byGivenLabel = entry.labelSource === 'given' && isDamaging(entry.label ?? undefined);
  const byGivenScore = entry.scoreSource === 'given' && entry.score !== null && entry.score < scoreThreshold;
  return byGivenLabel || byGivenScore ? 'given' : 'judged';
}
