// Preference data from an episode, in TRL's conversational form (lists of
// { role, content }, with the agent's name carried in `name`):
//  - every repair in `repairs` against the message it repairs (a DPO pair);
//  - in a failed episode, each corrective attempt against the error it answers;
//  - when the first error has no repair, unpaired rows for KTO: the error
//    (label false) and the corrective attempts (label true).
// Context messages (user, system, tools) are part of every prompt, as user
// turns named after their speaker, but are never chosen, rejected or judged.
import type { Episode, EpisodeMessage } from './episode.js';
import { isDamaging } from './refine.js';

/** One conversational turn in TRL's form. */
export interface Turn {
  role: 'user' | 'assistant';
  content: string;
  /** The agent that spoke (absent for the task statement). */
  name?: string;
}

/** A chosen/rejected pair for DPO with its prompt. */
export interface PreferencePair {
  type: 'pair';
  /** Why this pair exists: a repair from the record, or a later corrective attempt. */
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
 * The conversation before message `index`, seen by `speaker`: its own turns
 * are the assistant's, everyone else's the user's. TRL needs a conversational
 * prompt to be non-empty and, to start the completion as a new assistant
 * turn, to end with a non-assistant turn (it reads prompt[-1].role, and an
 * assistant turn there makes it continue that turn instead). So:
 *  - the speaker's own turns right before the message (when it spoke several
 *    times in a row) are given as user turns, `name` still saying who spoke,
 *    so the prompt ends with a user turn;
 *  - the prompt opens with a user turn: the task; without one, an empty user
 *    turn ({ role: 'user', content: '' }) when the prompt would otherwise be
 *    empty or open with an assistant turn (chat templates accept an empty
 *    turn; many refuse a conversation that starts with the assistant).
 */
export function promptBefore(episode: Episode, index: number, speaker: string): Turn[] {
  const turns: Turn[] = [];
  for (let m = 0; m < index; m++) turns.push(turnOf(episode.messages[m], speaker));
  for (let t = turns.length - 1; t >= 0 && turns[t].role === 'assistant'; t--) turns[t] = { ...turns[t], role: 'user' };
  if (episode.task !== undefined) turns.unshift({ role: 'user', content: episode.task });
  else if (turns.length === 0 || turns[0].role === 'assistant') turns.unshift({ role: 'user', content: '' });
  return turns;
}

function turnOf(message: EpisodeMessage, speaker: string, content = message.content): Turn {
  return { role: message.agent === speaker ? 'assistant' : 'user', name: message.agent, content };
}

function completion(message: EpisodeMessage, content = message.content): Turn[] {
  return [{ role: 'assistant', name: message.agent, content }];
}

/** Preferences of one episode; `firstError` is the index of the first error (-1 if none or a success). */
export function preferencesOf(episode: Episode, firstError: number): Preference[] {
  const { messages } = episode;
  if (episode.repairs.length === 0 && (firstError < 0 || episode.outcome.success)) return [];
  const indexOf = new Map(messages.map((message, m) => [message.id, m]));
  const preferences: Preference[] = [];
  let firstErrorRepaired = false;
  for (const repair of episode.repairs) {
    const m = indexOf.get(repair.message)!;
    const original = messages[m];
    if (m === firstError) firstErrorRepaired = true;
    preferences.push({
      type: 'pair', source: 'repair', message: original.id, agent: original.agent,
      prompt: promptBefore(episode, m, original.agent),
      chosen: completion(original, repair.content),
      rejected: completion(original),
    });
  }
  if (firstError < 0 || episode.outcome.success) return preferences;

  let answered = firstError;
  const correctives: number[] = [];
  const players = new Set(episode.agents);
  for (let m = firstError + 1; m < messages.length; m++) {
    const message = messages[m];
    if (!players.has(message.agent)) continue;
    if (isDamaging(message.label)) answered = m;
    if (message.label !== 'corrective') continue;
    correctives.push(m);
    const error = messages[answered];
    preferences.push({
      type: 'pair', source: 'corrective', message: error.id, agent: error.agent,
      prompt: promptBefore(episode, answered, error.agent),
      chosen: completion(message),
      rejected: completion(error),
    });
  }
  if (!firstErrorRepaired) {
    const error = messages[firstError];
    preferences.push({
      type: 'unpaired', message: error.id, agent: error.agent,
      prompt: promptBefore(episode, firstError, error.agent), completion: completion(error), label: false,
    });
    for (const m of correctives) {
      const message = messages[m];
      preferences.push({
        type: 'unpaired', message: message.id, agent: message.agent,
        prompt: promptBefore(episode, m, message.agent), completion: completion(message), label: true,
      });
    }
  }
  return preferences;
}
