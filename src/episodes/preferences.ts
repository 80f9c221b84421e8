// Preference data from an episode, each row one agent's view (agent-view.ts):
//  - every repair in `repairs` against the message it repairs: a DPO pair,
//    both sides that agent's;
//  - in a failed episode, a corrective message against the error it answers:
//    a DPO pair when the agent that erred corrects itself; when another agent
//    corrects it, unpaired rows for KTO instead (the error false, under its
//    speaker's prompt; the correction true, under its own speaker's prompt),
//    since a pair of two agents' messages trains no single policy;
//  - when the first error has no repair, unpaired rows for KTO: the error
//    (false) and every corrective message after it (true).
// Context speakers (user, system, tool) are in every prompt but are never the
// subject of a row. A pair whose two sides say the same (up to whitespace at
// either end, which chat templates often trim) is no preference and is left
// out: a repair that repeats its message is no repair.
import { InputError } from '../core/errors.js';
import { describe } from '../core/validate.js';
import { isPlayer, ownTurn, viewBefore, type Turn } from './agent-view.js';
import { asEpisode, type Episode } from './episode.js';
import { isDamaging } from './refine.js';

export type { Turn } from './agent-view.js';

/** A chosen/rejected pair for DPO with its prompt; both sides are `agent`'s. */
export interface PreferencePair {
  type: 'pair';
  /** Why this pair exists: a repair from the record, or the agent's own later correction. */
  source: 'repair' | 'corrective';
  /** Id of the rejected message. */
  message: string;
  agent: string;
  prompt: Turn[];
  chosen: Turn[];
  rejected: Turn[];
}

/** A single completion labelled good (true) or bad (false), for KTO. */
export interface UnpairedPreference {
  type: 'unpaired';
  message: string;
  agent: string;
  prompt: Turn[];
  completion: Turn[];
  label: boolean;
}

/** A preference derived from an episode. */
export type Preference = PreferencePair | UnpairedPreference;

/**
 * The conversation before message `index`, seen by `speaker` (agentView with
 * its system turn): the prompt of every preference row.
 */
export function promptBefore(episode: Episode, index: number, speaker: string): Turn[] {
  return viewBefore(episode, index, speaker);
}

/** Whether two messages say the same, as a chat template that trims content renders them. */
const sameText = (a: string, b: string) => a.trim() === b.trim();

/**
 * Preferences of one episode (a parsed episode or a raw record);
 * `firstError` is the index of the first error (-1 if none or a success).
 * A first error that is not -1 or the index of a message is an InputError.
 */
export function preferencesOf(episode: Episode | unknown, firstError: number): Preference[] {
  const checked = asEpisode(episode);
  const count = checked.messages.length;
  // Unchecked, a first error past the end or at 1.5 failed with a TypeError.
  if (!Number.isInteger(firstError) || firstError < -1 || firstError >= count) {
    throw new InputError([{ path: 'firstError', message: `expected the index of the first error, an integer from 0 to ${count - 1}, or -1 for none, got ${describe(firstError)}` }], 'preferencesOf');
  }
  return episodePreferences(checked, firstError);
}

/** preferencesOf of a parsed episode and a checked first error. */
export function episodePreferences(episode: Episode, firstError: number): Preference[] {
  const { messages } = episode;
  if (episode.repairs.length === 0 && (firstError < 0 || episode.outcome.success)) return [];
  const indexOf = new Map(messages.map((message, m) => [message.id, m]));
  const preferences: Preference[] = [];
  const unpairedSeen = new Set<string>();
  const unpaired = (m: number, label: boolean) => {
    const message = messages[m];
    const key = `${label}\u0000${message.id}`;
    if (!isPlayer(episode, message.agent) || unpairedSeen.has(key)) return;
    unpairedSeen.add(key);
    preferences.push({
      type: 'unpaired', message: message.id, agent: message.agent,
      prompt: promptBefore(episode, m, message.agent), completion: ownTurn(message.agent, message.content), label,
    });
  };
  let firstErrorRepaired = false;
  for (const repair of episode.repairs) {
    const m = indexOf.get(repair.message)!;
    const original = messages[m];
    if (!isPlayer(episode, original.agent) || sameText(repair.content, original.content)) continue;
    if (m === firstError) firstErrorRepaired = true;
    preferences.push({
      type: 'pair', source: 'repair', message: original.id, agent: original.agent,
      prompt: promptBefore(episode, m, original.agent),
      chosen: ownTurn(original.agent, repair.content),
      rejected: ownTurn(original.agent, original.content),
    });
  }
  if (firstError < 0 || episode.outcome.success) return preferences;

  let answered = firstError;
  const correctives: number[] = [];
  for (let m = firstError + 1; m < messages.length; m++) {
    const message = messages[m];
    if (!isPlayer(episode, message.agent)) continue;
    if (isDamaging(message.label)) answered = m;
    if (message.label !== 'corrective') continue;
    correctives.push(m);
    const error = messages[answered];
    if (error.agent === message.agent) {
      if (sameText(message.content, error.content)) continue;
      preferences.push({
        type: 'pair', source: 'corrective', message: error.id, agent: error.agent,
        prompt: promptBefore(episode, answered, error.agent),
        chosen: ownTurn(message.agent, message.content),
        rejected: ownTurn(error.agent, error.content),
      });
    } else {
      unpaired(answered, false);
      unpaired(m, true);
    }
  }
  if (!firstErrorRepaired) {
    unpaired(firstError, false);
    for (const m of correctives) unpaired(m, true);
  }
  return preferences;
}
