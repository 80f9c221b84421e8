// Filling in what an episode lacks from a judge: labels and scores of
// messages that have none, prefix values, and the first error (by labels,
// prefix values or binary search with the judge as oracle), each value
// remembering whether the record gave it or the judge did.
import { InputError } from '../core/errors.js';
import { describe } from '../core/validate.js';
import type { EpisodeJudge, JudgeUsage } from './judge-contract.js';
import { annotatedFirstError, DEFAULT_DROP_THRESHOLD, DEFAULT_SCORE_THRESHOLD, firstErrorOf, firstLabelledError, firstValueDrop, type FirstError, type FirstErrorOptions, type RecoverableOracle } from './first-error.js';
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
  /**
   * The judge's label (and its score, when the judge gave that too) that the
   * reward did not use: a harmful/error label that contradicted the agent's
   * credit (see judged-labels.ts). Present only then.
   */
  setAside?: { label: MessageLabel; score: number | null };
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
  /** The judge's verdicts on context messages, by message index: never read as blame, only to say where a verdict fell. */
  contextVerdicts?: Map<number, { label: MessageLabel; score: number }>;
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
    throw new InputError(`judge.labels of episode ${JSON.stringify(episode.id)}: expected one verdict per message (${messages.length}), got ${Array.isArray(verdicts) ? verdicts.length : describe(verdicts)}`);
  }
  const isPlayer = new Set(players);
  const contextVerdicts = new Map<number, { label: MessageLabel; score: number }>();
  verdicts.forEach((verdict, m) => {
    if (!isPlayer.has(m)) contextVerdicts.set(m, { label: verdict.label, score: verdict.score });
  });
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
  return { messages, sources, contextVerdicts };
}

/** Prefix values for every message: the given ones kept, the rest from one `judge.prefixValues` call. */
async function fillPrefixValues(episode: Episode, messages: EpisodeMessage[], judge: EpisodeJudge | undefined, signal?: AbortSignal): Promise<ValueSource | null> {
  const given = messages.some((message) => message.prefixValue !== undefined);
  if (!judge || messages.every((message) => message.prefixValue !== undefined)) return given ? 'given' : null;
  const values = await judge.prefixValues(episode, { signal });
  if (!Array.isArray(values) || values.length !== messages.length) {
    throw new InputError(`judge.prefixValues of episode ${JSON.stringify(episode.id)}: expected one value per message (${messages.length}), got ${Array.isArray(values) ? values.length : describe(values)}`);
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
 * oracle. Either of those two asks the judge only when the episode's given
 * labels and scores locate no first error.
 */
export async function locateFirstError(
  episode: Episode,
  filled: FilledMessages,
  options: LocateOptions,
): Promise<{ firstError: FirstError | null; source: ValueSource | null; prefixValues: ValueSource | null }> {
  const { judge, signal, strategy, scoreThreshold, dropThreshold, isRecoverable, timeoutMs } = options;
  const { messages } = filled;
  const players = episode.agents;
  // What the record gives is kept, as its coalition values and labels are: a
  // strategy that asks the judge applies to episodes whose own labels locate
  // no first error (an annotated mistake, such as Who&When's mistake_step).
  const asksJudge = judge !== undefined && (strategy === 'prefixValue' || (strategy === 'binarySearch' && !isRecoverable));
  const recorded = asksJudge ? annotatedFirstError(episode.messages, { strategy: 'label', scoreThreshold, players }) : null;
  if (recorded) return { firstError: recorded, source: 'given', prefixValues: null };
  if (strategy === 'binarySearch' || (strategy === undefined && isRecoverable)) {
    let oracle: RecoverableOracle | undefined = isRecoverable;
    if (!oracle && judge) oracle = (prefixLength) => judge.recoverable(episode, prefixLength, { signal });
    if (!oracle) throw new InputError("options.strategy: 'binarySearch' needs an oracle: isRecoverable or a judge");
    const firstError = await firstErrorOf(messages, { strategy: 'binarySearch', isRecoverable: oracle, players, timeoutMs });
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

const NO_REWARDS = '(no message rewards: zeros would look like results)';

/**
 * Why a failed episode has no first error although a judge or an oracle
 * looked for one (with `messages` as locateFirstError left them: judged
 * labels and prefix values filled in): what the search found, and what to
 * try instead. The advice to pass a judge would be no help here.
 */
export function whyNoFirstError(episode: Episode, filled: FilledMessages, options: LocateOptions): string {
  const { judge, strategy, isRecoverable, scoreThreshold = DEFAULT_SCORE_THRESHOLD, dropThreshold = DEFAULT_DROP_THRESHOLD } = options;
  const players = new Set(episode.agents);
  const messages = filled.messages.map((message, m) => {
    const verdict = filled.contextVerdicts?.get(m);
    return verdict && message.label === undefined && message.score === undefined ? { ...message, ...verdict } : message;
  });
  const who = (m: number) => `messages[${m}] (by ${JSON.stringify(messages[m].agent)})`;
  if (strategy === 'binarySearch' || (strategy === undefined && isRecoverable)) {
    const by = isRecoverable ? 'the oracle (isRecoverable)' : 'the judge';
    let lastPlayer = -1;
    messages.forEach((message, m) => {
      if (players.has(message.agent)) lastPlayer = m;
    });
    const after = lastPlayer + 1 < messages.length ? `; what lost it came after the last player's message, in context from ${who(lastPlayer + 1)} on, which is never blamed` : '';
    return `no first error located: ${by} found the run still recoverable after every player's message${after} ${NO_REWARDS}. ` +
      "Try strategy 'label' or 'prefixValue' (CLI: --strategy labels or prefix), give the messages labels, or list the speaker at fault among the players (agents; CLI: --agents)";
  }
  const byLabel = strategy !== 'prefixValue';
  const byValue = strategy !== 'label';
  // Where the verdict falls when context counts too: a context message there is the error no one is blamed for.
  const labelled = byLabel ? firstLabelledError(messages, scoreThreshold) : -1;
  const fell = byValue ? firstValueDrop(messages, dropThreshold) : -1;
  const inContext = [labelled, fell].filter((m) => m >= 0 && !players.has(messages[m].agent)).sort((a, b) => a - b)[0];
  if (inContext !== undefined) {
    const found = inContext === labelled ? `${who(inContext)} is labelled ${messages[inContext].label ?? `with score ${messages[inContext].score}`}` : `the success probability falls at ${who(inContext)}`;
    const prefix = strategy === 'prefixValue' ? '' : ", or strategy 'prefixValue' (CLI: --strategy prefix), which blames the first player's message after a fall in context";
    return `no first error located: ${found}, a context speaker, and context is never blamed ${NO_REWARDS}. ` +
      `If ${JSON.stringify(messages[inContext].agent)} is one of the team, list it among the players (agents; CLI: --agents)${prefix}`;
  }
  const looked = [
    byLabel ? `no player's message is labelled error or harmful or scored below ${scoreThreshold} (labels given${judge ? ' or judged' : ''})` : '',
    byValue ? `no ${strategy === 'prefixValue' && judge ? '' : 'given '}success probability falls by more than ${dropThreshold}` : '',
  ].filter(Boolean).join(', and ');
  const instead = [
    strategy === 'prefixValue' ? '' : "strategy 'prefixValue' (CLI: --strategy prefix)",
    "strategy 'binarySearch' (CLI: --strategy binary)",
    // A message scored below scoreThreshold is an error, so a higher one finds more; a lower dropThreshold does.
    strategy === 'prefixValue' ? 'a lower dropThreshold (CLI: --drop-threshold)' : 'a higher scoreThreshold or a lower dropThreshold (CLI: --score-threshold, --drop-threshold)',
  ].filter(Boolean).join(', or ');
  return `no first error located: nothing decisive found: ${looked} ${NO_REWARDS}. Try ${instead}`;
}
