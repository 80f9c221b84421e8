// One agent's view of an episode, the form every training row is written in.
// Chat templates disagree on much but the strictest (Gemma, Gemma 3, Cohere,
// Cohere 2) refuse anything but: an optional system turn, then user and
// assistant turns alternating, starting with a user turn. No template tested
// renders `name`, so who spoke has to be in the text itself. The view:
//  - a system turn naming the agent and its role (or, with systemTurn 'fold',
//    that text opening the first user turn, for templates without a system turn);
//  - the agent's own messages as assistant turns (consecutive ones joined);
//  - everyone else's (other agents, context speakers) joined into user turns,
//    each message prefixed with its speaker: "[planner] ...";
//  - the task, when there is one, opening the first user turn (unless the
//    transcript opens with that very text, as when an adapter takes the task
//    from the first user message: then it is said once, by its speaker);
//  - a prompt ends with a user turn (TRL starts the completion as a new
//    assistant turn only then), so the agent's own messages right before the
//    completion are quoted in that user turn, prefixed with its name too.
import { InputError } from '../core/errors.js';
import { describe } from '../core/validate.js';
import { asEpisode, type Episode } from './episode.js';

/** One conversational turn in TRL's form. */
export interface Turn {
  role: 'system' | 'user' | 'assistant';
  content: string;
  /** Who spoke: the agent of an assistant turn; the one speaker of a user turn that has one. */
  name?: string;
}

/** Where the turn naming the agent goes: its own system turn (default), or the start of the first user turn. */
export type SystemTurn = 'system' | 'fold';

export const SYSTEM_TURNS: readonly SystemTurn[] = ['system', 'fold'];

/** Throws an InputError unless `value` is a SystemTurn (or undefined, the default). */
export function checkSystemTurn(value: unknown, path = 'options.systemTurn'): SystemTurn {
  if (value === undefined) return 'system';
  if (value === 'system' || value === 'fold') return value;
  throw new InputError([{ path, message: `expected 'system' (a system turn) or 'fold' (into the first user turn), got ${describe(value)}` }]);
}

/** The line before a speaker's message wherever others read it. */
export function speakerPrefix(speaker: string): string {
  return `[${speaker}] `;
}

/**
 * Who the agent is, its role and team, and how others' messages are marked:
 * the system turn of a conversational row ('turns'), or the opening line of
 * a PRM row's text ('text').
 */
export function systemText(episode: Episode, agent: string, form: 'turns' | 'text' = 'turns'): string {
  const role = episode.roles[episode.agents.indexOf(agent)];
  const others = episode.agents.filter((other) => other !== agent);
  const team = others.length > 0 ? ` You work with ${others.join(', ')}.` : '';
  const marking = form === 'turns'
    ? ` Messages from others come in user turns, each prefixed with its speaker in brackets, e.g. ${speakerPrefix(others[0] ?? 'user').trim()}.`
    : ' Each message below is prefixed with its speaker in brackets, yours too.';
  return `You are ${agent}.${role ? ` Your role: ${role.replace(/[.\s]+$/, '')}.` : ''}${team}${marking}`;
}

/** True for the agents of the episode (players); context speakers' messages are never the subject of a row. */
export function isPlayer(episode: Episode, speaker: string): boolean {
  return episode.agents.includes(speaker);
}

const PARAGRAPH = '\n\n';

/**
 * The task as a row shows it before the messages: undefined when there is
 * none, or when a message of the transcript's opening (up to and including
 * the first player's message) says exactly the task, as the adapters that
 * take the task from the first user message leave it. Shown twice, it would
 * fill every prompt with the same text twice.
 */
export function shownTask(episode: Episode): string | undefined {
  const { task, messages } = episode;
  if (task === undefined || task === '') return undefined;
  const wanted = task.trim();
  for (const message of messages) {
    if (message.content.trim() === wanted) return undefined;
    if (isPlayer(episode, message.agent)) break;
  }
  return task;
}

/**
 * The conversation before message `index`, seen by `agent`, as a prompt: a
 * system turn, then user/assistant turns alternating from a user turn and
 * ending with a user turn (see the module comment). `index` runs from 0 to
 * the number of messages (the whole conversation), `agent` is one of the
 * episode's agents; anything else is an InputError.
 */
export function agentView(episode: Episode | unknown, index: number, agent: string, systemTurn: SystemTurn = 'system'): Turn[] {
  const checked = asEpisode(episode);
  const total = checked.messages.length;
  // Unchecked, an index past the end failed with a TypeError and a context
  // speaker or a stranger got a prompt as if they were on the team.
  if (!Number.isInteger(index) || index < 0 || index > total) {
    throw new InputError([{ path: 'index', message: `expected a message index, an integer from 0 to ${total} (the episode's messages), got ${describe(index)}` }], 'agentView');
  }
  if (typeof agent !== 'string' || !isPlayer(checked, agent)) {
    throw new InputError([{ path: 'agent', message: `expected one of the episode's agents (${checked.agents.join(', ')}), got ${describe(agent)}` }], 'agentView');
  }
  return viewBefore(checked, index, agent, checkSystemTurn(systemTurn, 'systemTurn'));
}

/** agentView for arguments already checked (the exporters' rows). */
export function viewBefore(episode: Episode, index: number, agent: string, systemTurn: SystemTurn = 'system'): Turn[] {
  const { messages } = episode;
  // The agent's messages right before `index` are quoted in the last user turn.
  let quotedFrom = index;
  while (quotedFrom > 0 && messages[quotedFrom - 1].agent === agent) quotedFrom--;
  const turns: Turn[] = [];
  const speakers: Array<Set<string>> = [];
  const add = (role: 'user' | 'assistant', speaker: string, text: string) => {
    const last = turns.at(-1);
    if (last && last.role === role) {
      last.content += PARAGRAPH + text;
      speakers[speakers.length - 1].add(speaker);
    } else {
      turns.push({ role, content: text });
      speakers.push(new Set([speaker]));
    }
  };
  const task = shownTask(episode);
  if (task !== undefined) add('user', '', task);
  for (let m = 0; m < index; m++) {
    const message = messages[m];
    if (message.agent === agent && m < quotedFrom) add('assistant', agent, message.content);
    else add('user', message.agent, speakerPrefix(message.agent) + message.content);
  }
  if (turns.length === 0 || turns[0].role === 'assistant') {
    turns.unshift({ role: 'user', content: '' });
    speakers.unshift(new Set());
  }
  turns.forEach((turn, t) => {
    const [only, ...more] = speakers[t];
    if (turn.role === 'assistant') turn.name = agent;
    else if (only && more.length === 0) turn.name = only;
  });
  return withSystemTurn(systemText(episode, agent), turns, systemTurn);
}

/** The system text as a turn of its own, or opening the first user turn. */
function withSystemTurn(text: string, turns: Turn[], systemTurn: SystemTurn): Turn[] {
  if (systemTurn === 'system') return [{ role: 'system', content: text }, ...turns];
  const [first, ...rest] = turns;
  const folded: Turn = { role: 'user', content: first.content ? text + PARAGRAPH + first.content : text };
  if (first.name !== undefined) folded.name = first.name;
  return [folded, ...rest];
}

/**
 * A prompt with its system turn folded into the first user turn (a prompt
 * without a system turn is returned as is; one that is only a system turn
 * becomes a user turn). A prompt that is not a list of turns is an InputError.
 */
export function foldSystemTurn(prompt: readonly Turn[]): Turn[] {
  // Unchecked, null or a turn without content failed with a TypeError.
  const bad = Array.isArray(prompt)
    ? prompt.findIndex((turn) => !(typeof turn === 'object' && turn !== null && ['system', 'user', 'assistant'].includes(turn.role) && typeof turn.content === 'string'))
    : -1;
  if (!Array.isArray(prompt) || bad >= 0) {
    const [path, value] = Array.isArray(prompt) ? [`prompt[${bad}]`, prompt[bad]] : ['prompt', prompt];
    throw new InputError([{ path, message: `expected ${path === 'prompt' ? 'a list of turns' : 'a turn'} { role: 'system' | 'user' | 'assistant', content: string }, got ${describe(value)}` }], 'foldSystemTurn');
  }
  return foldedPrompt(prompt);
}

/** foldSystemTurn of a prompt the library built. */
export function foldedPrompt(prompt: readonly Turn[]): Turn[] {
  if (prompt[0]?.role !== 'system') return [...prompt];
  // Only a user turn can take the text: an assistant turn folded would put the system's words in the model's mouth.
  if (prompt[1]?.role !== 'user') return [{ role: 'user', content: prompt[0].content }, ...prompt.slice(1).map((turn) => ({ ...turn }))];
  return withSystemTurn(prompt[0].content, prompt.slice(1).map((turn) => ({ ...turn })), 'fold');
}

/** The agent's message as a completion: one assistant turn. */
export function ownTurn(agent: string, content: string): Turn[] {
  return [{ role: 'assistant', content, name: agent }];
}
