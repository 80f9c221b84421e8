// What a judge sees of an episode: the task and the numbered messages, each
// marked as coming from an agent of the team or from the context (the user,
// the system prompt, a tool). Outcomes, labels, scores, prefix values and
// coalition tables are never shown.
import { InputError, type InputIssue } from '../core/errors.js';
import { describe, isRecord } from '../core/validate.js';

/** One message as prompts show it; `n` counts from 1. */
export interface TranscriptMessage {
  n: number;
  /** The speaker: an agent's id, or a context speaker such as `user`, `system` or a tool's name. */
  from: string;
  as: 'agent' | 'context';
  text: string;
}

/** The input of every prompt template. */
export interface TranscriptView {
  task: string | undefined;
  /** The agents of the team whose messages are shown (a coalition, for a counterfactual). */
  team: string[];
  messages: TranscriptMessage[];
  /** Messages in the whole run; more than `messages.length` when only a prefix is shown. */
  total: number;
}

/** The episode fields a judge reads (an Episode, a CounterfactualEpisode, or the like). */
export interface JudgedEpisode {
  id: string;
  task?: string;
  agents: readonly string[];
  /** Speakers whose messages are part of the transcript but who are not players. */
  context?: readonly string[];
  /** Each message's `id` defaults to its index. */
  messages: ReadonlyArray<{ id?: string; agent: string; content: string }>;
}

/** A JudgedEpisode whose messages all have their ids. */
export type CheckedEpisode = Omit<JudgedEpisode, 'messages'> & { messages: ReadonlyArray<{ id: string; agent: string; content: string }> };

/**
 * The episode, checked for the fields a judge reads, message ids filled in;
 * an InputError names the first field at fault. Given the public function
 * it was passed to (`caller`), the error names that function and the
 * argument (`transcriptView: episode.messages[0].content: ...`), else the
 * episode by its id.
 */
export function judgedEpisode(episode: unknown, caller?: string): CheckedEpisode {
  const fail = (path: string, message: string): never => {
    if (caller !== undefined) throw new InputError([{ path: path ? `episode.${path}` : 'episode', message }], caller);
    throw new InputError([{ path, message }], isRecord(episode) && typeof episode.id === 'string' ? `episode ${JSON.stringify(episode.id)}` : undefined);
  };
  if (!isRecord(episode)) return fail('', `expected an episode { id, agents, messages, task? }, got ${describe(episode)}`);
  if (typeof episode.id !== 'string' || episode.id === '') fail('id', `expected the episode id as a non-empty string, got ${describe(episode.id)}`);
  if (episode.task !== undefined && typeof episode.task !== 'string') fail('task', `expected the task as a string, got ${describe(episode.task)}`);
  if (!Array.isArray(episode.agents) || !episode.agents.every((agent) => typeof agent === 'string')) fail('agents', `expected the agent ids as an array of strings, got ${describe(episode.agents)}`);
  if (episode.context !== undefined && !(Array.isArray(episode.context) && episode.context.every((speaker) => typeof speaker === 'string'))) {
    fail('context', `expected the context speakers as an array of strings, got ${describe(episode.context)}`);
  }
  if (!Array.isArray(episode.messages)) return fail('messages', `expected messages as an array, got ${describe(episode.messages)}`);
  episode.messages.forEach((message: unknown, i) => {
    if (!isRecord(message)) return fail(`messages[${i}]`, `expected a message { id, agent, content }, got ${describe(message)}`);
    if (typeof message.agent !== 'string') fail(`messages[${i}].agent`, `expected the speaker as a string, got ${describe(message.agent)}`);
    if (typeof message.content !== 'string') fail(`messages[${i}].content`, `expected the content as a string, got ${describe(message.content)}`);
    if (message.id !== undefined && typeof message.id !== 'string') fail(`messages[${i}].id`, `expected the message id as a string, got ${describe(message.id)}`);
  });
  const given = episode as unknown as JudgedEpisode;
  // Ids default to the message's index, as in episode records.
  if (given.messages.every((message) => message.id !== undefined)) return given as CheckedEpisode;
  return { ...given, messages: given.messages.map((message, i) => ({ ...message, id: message.id ?? String(i) })) };
}

/**
 * The view of the episode's first `shown` messages (all by default), as the
 * judge gives it to a prompt template. An episode without the fields a judge
 * reads, or a `shown` that is not a count of its messages, is an InputError.
 */
export function transcriptView(episode: JudgedEpisode, shown?: number): TranscriptView {
  const checked = judgedEpisode(episode, 'transcriptView');
  const total = checked.messages.length;
  if (shown !== undefined && !(Number.isInteger(shown) && shown >= 0 && shown <= total)) {
    throw new InputError([{ path: 'shown', message: `expected the number of messages shown, an integer from 0 to ${total}, got ${describe(shown)}` }], 'transcriptView');
  }
  return viewOf(checked, shown);
}

/** transcriptView of an episode judgedEpisode has checked, `shown` within its messages: the judge's own calls, checked where they came in. */
export function viewOf(episode: CheckedEpisode, shown = episode.messages.length): TranscriptView {
  const team = new Set(episode.agents);
  const context = new Set(episode.context ?? []);
  const messages = episode.messages.slice(0, shown).map((message, i): TranscriptMessage => ({
    n: i + 1,
    from: message.agent,
    as: team.has(message.agent) && !context.has(message.agent) ? 'agent' : 'context',
    text: message.content,
  }));
  return { task: episode.task, team: episode.agents.filter((agent) => !context.has(agent)), messages, total: episode.messages.length };
}

/**
 * The task and messages as the default prompts show them: the task as a JSON
 * string, then one JSON object per message. JSON keeps every message's text
 * exactly (newlines, quotes, text that looks like another message) and lets
 * a model, or a test server, read the transcript without ambiguity.
 */
export function renderTranscript(view: TranscriptView): string {
  return transcriptText(checkedView(view, 'renderTranscript'));
}

const VIEW_EXPECTED = 'a transcript view { task, team, messages, total } (from transcriptView)';

/**
 * `view`, checked for what the default prompts read of it; an InputError
 * names `caller`, the field and the value. Views come from the judge, but
 * also from users who call a template or renderTranscript themselves.
 */
export function checkedView(view: unknown, caller: string): TranscriptView {
  if (!isRecord(view)) throw new InputError([{ path: 'view', message: `expected ${VIEW_EXPECTED}, got ${describe(view)}` }], caller);
  const issues: InputIssue[] = [];
  const issue = (path: string, message: string) => issues.push({ path: `view.${path}`, message });
  if (view.task !== undefined && typeof view.task !== 'string') issue('task', `expected the task as a string (or undefined), got ${describe(view.task)}`);
  if (!Array.isArray(view.team) || !view.team.every((agent) => typeof agent === 'string')) issue('team', `expected the team's agent ids as an array of strings, got ${describe(view.team)}`);
  const { messages } = view;
  if (!Array.isArray(messages)) issue('messages', `expected the messages shown as an array, got ${describe(messages)}`);
  else {
    // The first message at fault is enough to find the mistake; a transcript of thousands would list thousands.
    const bad = messages.findIndex((message) => !isShownMessage(message));
    if (bad >= 0) {
      const message: unknown = messages[bad];
      const path = `messages[${bad}]`;
      if (!isRecord(message)) issue(path, `expected a message { n, from, as, text }, got ${describe(message)}`);
      else {
        if (!(Number.isInteger(message.n) && (message.n as number) >= 1)) issue(`${path}.n`, `expected the message's number, an integer from 1, got ${describe(message.n)}`);
        if (typeof message.from !== 'string') issue(`${path}.from`, `expected the speaker as a string, got ${describe(message.from)}`);
        if (message.as !== 'agent' && message.as !== 'context') issue(`${path}.as`, `expected 'agent' or 'context', got ${describe(message.as)}`);
        if (typeof message.text !== 'string') issue(`${path}.text`, `expected the message's text as a string, got ${describe(message.text)}`);
      }
    }
  }
  const shown = Array.isArray(messages) ? messages.length : 0;
  if (!(Number.isInteger(view.total) && (view.total as number) >= shown)) {
    issue('total', `expected the number of messages in the run, an integer of at least ${shown} (the messages shown), got ${describe(view.total)}`);
  }
  if (issues.length > 0) throw new InputError(issues, caller);
  return view as unknown as TranscriptView;
}

function isShownMessage(message: unknown): boolean {
  return isRecord(message) && Number.isInteger(message.n) && (message.n as number) >= 1 && typeof message.from === 'string'
    && (message.as === 'agent' || message.as === 'context') && typeof message.text === 'string';
}

/** renderTranscript of a checked view: what the default prompts show, once they have checked the view. */
export function transcriptText(view: TranscriptView): string {
  const lines = [
    view.task === undefined ? 'Task: (none given; judge by what the team set out to do)' : `Task: ${JSON.stringify(view.task)}`,
    `Team: ${JSON.stringify(view.team)}`,
    view.messages.length < view.total ? `Transcript: the first ${view.messages.length} of ${view.total} messages, one JSON object per line.` : `Transcript: ${view.messages.length} messages, one JSON object per line.`,
    ...view.messages.map((message) => JSON.stringify(message)),
  ];
  return lines.join('\n');
}
