// Message rewards in a failed episode, aware of repairs (see README,
// "Repair-aware rewards"). Walking the run in order:
//   before the first error        r = (bound/2) * max(0, q)        never punished
//   the first error               r = -bound                       the most negative reward
//   while the error stands        r = -bound * (2 - q) / 4         in [-3/4, -1/4] * bound: builds on it
//   a corrective message          r =  bound * (1 + q) / 4         positive; the error no longer stands
//   after a correction            as before the error, until another error/harmful label
// q is the message quality of refine.ts (label band placed by score), so
// every reward rises with the message's score.
import { InputError, type InputIssue } from '../core/errors.js';
import { describe } from '../core/validate.js';
import { checkMessages, type EpisodeMessage } from './episode.js';
import { isDamaging, quality } from './refine.js';

/**
 * Repair-aware rewards of a failed episode's messages, given the index of its
 * first error (see the module comment). With `players`, messages by anyone
 * else (context: user, system, tools) are passed over: their entries stay 0
 * and their labels neither raise nor clear an error. A first error that is
 * not the index of a message, a bound that is not a positive finite number,
 * or a message with an unknown label or a score outside [-1, 1] is an
 * InputError.
 */
export function failureRewards(messages: readonly EpisodeMessage[], firstError: number, bound: number, players?: readonly string[]): Float64Array {
  // Unchecked, a first error past the end rewarded nothing, a missing bound gave NaN and a score of 5 a reward past the bound.
  checkMessages(messages, 'messages', 'failureRewards');
  const issues: InputIssue[] = [];
  if (!Number.isInteger(firstError) || firstError < 0 || firstError >= messages.length) {
    issues.push({ path: 'firstError', message: `expected the index of the first error, an integer from 0 to ${messages.length - 1}, got ${describe(firstError)}` });
  }
  if (typeof bound !== 'number' || !(bound > 0) || !Number.isFinite(bound)) issues.push({ path: 'bound', message: `expected the largest |reward| as a finite number > 0, got ${describe(bound)}` });
  if (players !== undefined && !(Array.isArray(players) && players.every((player) => typeof player === 'string'))) {
    issues.push({ path: 'players', message: `expected the players' names as an array of strings, got ${describe(players)}` });
  }
  if (issues.length > 0) throw new InputError(issues, 'failureRewards');
  return repairRewards(messages, firstError, bound, players);
}

/** failureRewards of checked arguments (an episode's messages and its located first error). */
export function repairRewards(messages: readonly EpisodeMessage[], firstError: number, bound: number, players?: readonly string[]): Float64Array {
  const rewards = new Float64Array(messages.length);
  const isPlayer = players ? new Set(players) : undefined;
  let standing = false;
  for (let m = 0; m < messages.length; m++) {
    const message = messages[m];
    if (isPlayer && !isPlayer.has(message.agent)) continue;
    const q = quality(message);
    if (m === firstError) {
      rewards[m] = -bound;
      standing = true;
    } else if (m > firstError && message.label === 'corrective') {
      rewards[m] = (bound * (1 + q)) / 4;
      standing = false;
    } else if (m > firstError && (standing || isDamaging(message.label))) {
      rewards[m] = (-bound * (2 - q)) / 4;
      standing = true;
    } else {
      rewards[m] = (bound / 2) * Math.max(0, q);
    }
  }
  return rewards;
}
