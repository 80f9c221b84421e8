// Message rewards in a failed episode, aware of repairs (see README,
// "Repair-aware rewards"). Walking the run in order:
//   before the first error        r = (bound/2) * max(0, q)        never punished
//   the first error               r = -bound                       the most negative reward
//   while the error stands        r = -bound * (2 - q) / 4         in [-3/4, -1/4] * bound: builds on it
//   a corrective message          r =  bound * (1 + q) / 4         positive; the error no longer stands
//   after a correction            as before the error, until another error/harmful label
// q is the message quality of refine.ts (label band placed by score), so
// every reward rises with the message's score.
import type { EpisodeMessage } from './episode.js';
import { isDamaging, quality } from './refine.js';

/**
 * Repair-aware rewards of a failed episode's messages, given the index of its
 * first error (see the module comment). With `players`, messages by anyone
 * else (context: user, system, tools) are passed over: their entries stay 0
 * and their labels neither raise nor clear an error.
 */
export function failureRewards(messages: readonly EpisodeMessage[], firstError: number, bound: number, players?: readonly string[]): Float64Array {
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
