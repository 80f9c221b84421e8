// A judgement that failed for good: which episode, which judgement, what was
// being judged, and why, so that a long run's error says where to look.

/** The four judgements, as errors and cache entries name them. */
export type JudgementName = 'value' | 'labels' | 'prefixValues' | 'recoverable';

/** What a judgement was about, as a JudgeError names it. */
export interface JudgementTarget {
  /** The episode's id. */
  episode: string;
  judgement: JudgementName;
  /** What part of the episode was judged, e.g. `coalition {a, b}` or `first 4 messages`. */
  detail?: string;
}

/**
 * Whether a failed judgement is about its episode (the replies for it did not
 * fit even when asked again, or its transcript is longer than the model's
 * context: other episodes may still be judged) or about the server (HTTP
 * errors, refused credentials, timeouts, a cache that cannot be written:
 * every judgement would fail alike).
 */
export type JudgeFailureScope = 'episode' | 'server';

/**
 * Thrown when a judgement fails after its retries: the server kept failing,
 * refused the request, or its replies did not fit. Names the episode and the
 * judgement; `cause` holds the last underlying error; `about` says whether
 * the failure is this episode's or the server's.
 *
 * @example
 * try { await judge.value(episode); }
 * catch (error) { if (error instanceof JudgeError) console.error(error.episode, error.judgement); }
 */
export class JudgeError extends Error {
  override name = 'JudgeError';
  readonly episode: string;
  readonly judgement: JudgementName;
  readonly detail: string | undefined;
  /** Requests sent for this judgement before it failed. */
  readonly attempts: number;
  /** Whether the failure is this episode's (others may be judged) or the server's. */
  readonly about: JudgeFailureScope;

  constructor(target: JudgementTarget, reason: string, attempts: number, cause?: unknown, about: JudgeFailureScope = 'server') {
    const what = target.detail ? ` (${target.detail})` : '';
    super(`judge: ${target.judgement} of episode ${JSON.stringify(target.episode)}${what}: ${reason}`, cause === undefined ? undefined : { cause });
    this.episode = target.episode;
    this.judgement = target.judgement;
    this.detail = target.detail;
    this.attempts = attempts;
    this.about = about;
  }
}
