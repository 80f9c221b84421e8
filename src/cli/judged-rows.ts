// Judged runs of `agent-credit attribute` (--judge, --evaluator): episodes
// whose coalition values, labels or first errors come from an LLM judge or a
// re-run of the team. These run on the main thread, one episode after
// another (each one's rows written before the next is judged), each
// episode's judgements in parallel up to --concurrency: the
// judge (its reply cache, its cache file, its limit on requests in flight)
// is one object shared by every episode, and each episode's `usage` is its
// own. Worker threads would each need a judge of their own, splitting the
// cache and multiplying the requests in flight.
import { closeSync, openSync, readSync } from 'node:fs';
import { attributeEpisode, type AttributeOptions, type EpisodeEvaluator } from '../episodes/attribute.js';
import { EpisodeError, type Episode, type RecordSource } from '../episodes/episode.js';
import type { EpisodeJudge } from '../episodes/judge-contract.js';
import { InputError } from '../core/errors.js';
import { JudgeError } from '../judge/judge-error.js';
import { FatalEpisodeError, type EpisodeAttributor } from './attribute-rows.js';

/** What a judged run fills in, and with what. */
export interface JudgedSetup {
  judge?: EpisodeJudge;
  evaluate?: EpisodeEvaluator;
  options: Pick<AttributeOptions, 'budget' | 'concurrency' | 'strategy' | 'teamValue' | 'signal' | 'bound' | 'scoreThreshold' | 'dropThreshold'>;
  /** Called after each episode (attributed or not): for the progress bar. */
  onEpisode?: () => void;
  /**
   * --skip-invalid: an episode the judge cannot judge (its replies never fit,
   * its transcript is over the model's context) is that record's error, and
   * the run goes on; a failure of the server still stops it.
   */
  skipUnjudgeable?: boolean;
  /** The --judge-cache file the judge's replies are kept in, when one was given. */
  cachePath?: string;
  /** The environment variable the judge's API key comes from, whether a key was sent, and whether one was held back (see judgeKey). */
  key?: { variable: string; sent: boolean; withheld?: boolean };
}

/**
 * Whether the --judge-cache file holds a reply: a complete line, as the
 * store appends them. Before the first reply comes back (or when the first
 * append fails) it is missing, empty or holds part of a line, and a hint
 * that replies are kept in it would send the user to resume from nothing.
 */
export function cacheHoldsReplies(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return false;
  }
  try {
    const buffer = Buffer.alloc(64 * 1024);
    let content = false;
    for (let position = 0; ; ) {
      const read = readSync(fd, buffer, 0, buffer.length, position);
      if (read === 0) return false;
      for (let i = 0; i < read; i++) {
        const byte = buffer[i]!;
        if (byte === 0x0a && content) return true;
        if (byte !== 0x0a && byte !== 0x0d && byte !== 0x20 && byte !== 0x09) content = true;
      }
      position += read;
    }
  } catch {
    return false;
  } finally {
    closeSync(fd);
  }
}

/** What a hint says of a --judge-cache file that holds no reply yet. */
export const nothingKept = (path: string) => `no reply had reached ${path} yet, so nothing is kept for a rerun`;

/** What a judged run that failed keeps for the next one: the cache's replies, or nothing. */
function resumeHint(setup: JudgedSetup, reasonText: string): string {
  if (!setup.judge) return '';
  const holds = setup.cachePath !== undefined && cacheHoldsReplies(setup.cachePath);
  // A refused key fails every request the same way: the fix is the key, not a rerun.
  if (setup.key && /\bHTTP 40[13]\b/.test(reasonText)) {
    const { variable, sent, withheld } = setup.key;
    const none = sent ? '' : withheld
      ? ` (no key was sent: ${variable} goes by default only over https or to this machine; pass --judge-key-env ${variable} to send it to this server over plain http)`
      : ` (no key was sent: ${variable} is not set)`;
    const kept = holds ? `; the replies so far are kept in ${setup.cachePath}` : '';
    return ` (the judge refused its credentials: set ${variable} to a key it accepts${none}, or name another variable with --judge-key-env${kept})`;
  }
  if (setup.cachePath === undefined) return ' (no --judge-cache was given, so the replies so far are not kept: add --judge-cache FILE to keep them and resume from there)';
  // The cache itself failing (a full disk) keeps what reached it before, but a rerun as it is would meet the same failure.
  if (reasonText.includes(`the judge cache ${setup.cachePath}:`)) {
    if (!holds) return ` (nothing could be written to ${setup.cachePath}: make room for it, or pass another path where there is room, then run the same command again)`;
    return ` (the replies before it are kept in ${setup.cachePath}; make room for it, or copy it where there is room and pass that path, then run the same command again to resume without paying for them)`;
  }
  if (!holds) return ` (${nothingKept(setup.cachePath)})`;
  return ` (the replies so far are kept in ${setup.cachePath}; run the same command again to resume without paying for them)`;
}

const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The JudgeError behind an error: the evaluator path wraps a failed evaluate call in an EvaluatorError whose cause it is. */
function judgeErrorIn(error: unknown): JudgeError | undefined {
  for (let depth = 0; depth < 4 && error instanceof Error; depth++, error = error.cause) {
    if (error instanceof JudgeError) return error;
  }
  return undefined;
}

/**
 * An EpisodeAttributor that judges (or re-runs) one episode. A record that
 * is not a valid episode is that record's error (skippable); so is, with
 * skipUnjudgeable, an episode whose judgement failed for reasons of its own
 * (JudgeError.about 'episode'). Any other failure of the judge or the
 * evaluator is a FatalEpisodeError, which stops the run at that episode (its
 * error names the coalition or judgement).
 */
export function judgedAttributor(setup: JudgedSetup): EpisodeAttributor {
  return async (episode: Episode, source: RecordSource) => {
    const evaluate = setup.evaluate;
    try {
      return await attributeEpisode(episode, {
        ...setup.options,
        judge: setup.judge,
        evaluate: evaluate ? (agents, context) => evaluate(episode, agents, context) : undefined,
      });
    } catch (error) {
      const judgeError = judgeErrorIn(error);
      const episodeOnly = judgeError?.about === 'episode';
      // EpisodeErrors are InputErrors: a record that cannot be attributed, skippable like any bad record.
      if (error instanceof InputError) return new EpisodeError(error.issues, episode.id, source);
      if (episodeOnly && setup.skipUnjudgeable) {
        return new EpisodeError([{ path: '', message: `the judge could not judge it: ${judgeError!.message}` }], episode.id, source);
      }
      const what = setup.evaluate && !setup.judge ? 'the evaluator' : 'the judge';
      // An episode the judge cannot judge need not stop the others; a failing server would fail them all.
      const skip = episodeOnly ? '; --skip-invalid skips such episodes and judges the rest' : '';
      const message = `${what} failed: ${reason(error)}${skip}${resumeHint(setup, reason(error))}`;
      return new FatalEpisodeError([{ path: '', message }], episode.id, source);
    } finally {
      setup.onEpisode?.();
    }
  };
}
