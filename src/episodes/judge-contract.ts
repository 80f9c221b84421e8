// What the episode layer asks of a judge: the four judgements that fill in
// what a real transcript lacks (coalition values, message labels, prefix
// values, recoverability). The client that speaks to an LLM lives above this
// layer (src/judge/); any object with these methods will do, which is how
// tests and users plug in their own.
import type { Episode, MessageLabel } from './vocabulary.js';

/** A judge's verdict on one message. */
export interface MessageJudgement {
  /** The message's id. */
  message: string;
  label: MessageLabel;
  /** In [-1, 1]: how much the message helps (+) or hurts (-) the task. */
  score: number;
  /** One line: why. */
  reason: string;
}

/** What a judge has spent so far (cumulative over its lifetime). */
export interface JudgeUsage {
  /** Requests sent to the model (retries included). */
  calls: number;
  /** Judgements answered from the cache without a request. */
  cacheHits: number;
  promptTokens: number;
  completionTokens: number;
  /** Wall time spent inside judgements, in milliseconds. */
  wallMs: number;
}

/** Aborts a judgement in flight. */
export interface JudgementOptions {
  signal?: AbortSignal;
}

/**
 * A judge of episodes: `createJudge` from `agent-credit/judge` makes one that
 * asks an LLM; any object with these methods will do (a re-run harness, a
 * rule-based scorer, a test double). attributeEpisode(s) take it as `judge`.
 */
export interface EpisodeJudge {
  /** How well the (possibly counterfactual) transcript accomplishes the task, in [0, 1]. */
  value(episode: Episode, options?: JudgementOptions): Promise<number>;
  /** v(S) for `shapley()`/`attributeEpisode`: the judge's value of `ablate(episode, agents)`. */
  evaluator(episode: Episode): (agents: string[], context: { signal: AbortSignal }) => Promise<number>;
  /** One judgement per message, in message order, from one call per episode. */
  labels(episode: Episode, options?: JudgementOptions): Promise<MessageJudgement[]>;
  /** The judged probability of success after each message (length = messages.length). */
  prefixValues(episode: Episode, options?: JudgementOptions): Promise<number[]>;
  /** Could the team still succeed after its first `prefixLength` messages? */
  recoverable(episode: Episode, prefixLength: number, options?: JudgementOptions): Promise<boolean>;
  /** Cumulative usage. */
  usage(): JudgeUsage;
}
