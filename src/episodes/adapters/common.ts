// What every adapter shares: the turns of a transcript wrapped in an episode
// v1 record, with the evaluation that travels beside the transcript (outcome,
// coalitions, repairs, annotations) and the split of its speakers into
// players (`agents`) and context (the user, system prompts, unlinked tool
// output: part of every transcript, never players).
import * as z from 'zod/mini';
import { InputError } from '../../core/errors.js';
import { checkKnownOptions, describe, isRecord, misspelledName, parseOrThrow } from '../../core/validate.js';
import { agentSchema, outcomeSchema } from '../episode.js';
import type { ContentOptions } from './content.js';
import { terminalText } from '../../core/terminal-text.js';

export { textOf, MAX_CONTENT_DEPTH } from './content.js';

/** One turn of a transcript, already attributed to a speaker. */
export interface Turn {
  agent: string;
  content: string;
  /** Spoken by a context role (system, developer, user, human, an unlinked tool result). */
  context?: boolean;
  id?: string;
  label?: unknown;
  score?: unknown;
  prefixValue?: unknown;
}

/** Episode fields and reading options a caller may supply for transcripts that do not carry them. */
export interface AdapterDefaults extends ContentOptions {
  id?: string;
  task?: string;
  outcome?: { score: number; success: boolean };
  /**
   * The players. Every other speaker becomes context. Default: every speaker
   * except the context roles (system, developer, user, human, unlinked tool
   * results), or the agents a coalition table names.
   */
  agents?: string[];
}

/** The options every adapter takes (AdapterDefaults). */
export const ADAPTER_OPTIONS = ['id', 'task', 'outcome', 'agents', 'includeReasoning'] as const;

const expected = (what: string) => ({ error: (issue: { input?: unknown }) => `expected ${what}, got ${describe(issue.input)}` });

/** Every adapter's options, each checked when present (an adapter lists the names it takes). */
const adapterOptionsSchema = z.object({
  options: z.looseObject({
    id: z.optional(z.string(expected('the episode id as a non-empty string')).check(z.minLength(1, expected('the episode id as a non-empty string')))),
    task: z.optional(z.string(expected('the task as a string'))),
    outcome: z.optional(outcomeSchema),
    agents: z.optional(z.array(agentSchema, expected('the players as an array of agent ids'))),
    includeReasoning: z.optional(z.boolean(expected('true or false'))),
    agent: z.optional(z.string(expected('an agent name as a non-empty string')).check(z.minLength(1, expected('an agent name as a non-empty string')))),
    speaker: z.optional(z.custom<RegExp>((value) => value instanceof RegExp, expected('a RegExp for speaker lines'))),
    groupBy: z.optional(z.enum(['trace', 'conversation'], expected("'trace' or 'conversation'"))),
    evaluation: z.optional(z.string(expected('the name of an evaluation as a string'))),
  }),
});

/**
 * An adapter's options, checked once where they come in: null is the
 * defaults; an unknown name (with the nearest known one) or a value of the
 * wrong kind is an InputError naming `options.<name>`, where it would
 * otherwise be ignored or surface later as a fault of the record.
 */
export function adapterOptions<T extends object>(options: T | null | undefined, names: readonly string[]): T {
  if (options === undefined || options === null) return {} as T;
  checkKnownOptions(options, names);
  parseOrThrow(adapterOptionsSchema, { options });
  return options;
}

/** Roles whose turns are context by default, in every format that has roles. */
export const CONTEXT_ROLES: ReadonlySet<string> = new Set(['system', 'developer', 'user', 'human', 'tool', 'function']);

/** The episode fields that may travel beside a transcript in its record. */
const EPISODE_FIELDS = ['id', 'task', 'agents', 'context', 'outcome', 'coalitions', 'repairs', 'annotations'] as const;

export { isRecord };

/** A required string field of a message, or an InputError naming it. */
export function stringField(message: Record<string, unknown>, key: string, path: string): string {
  const value = message[key];
  if (typeof value !== 'string' || value === '') throw new InputError([{ path: `${path}.${key}`, message: `expected a non-empty string, got ${describe(value)}` }]);
  return value;
}

export function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Judge marks a transcript may carry on its messages (label, score, prefixValue). */
export function judgeMarks(message: Record<string, unknown>): Pick<Turn, 'label' | 'score' | 'prefixValue'> {
  const found: Pick<Turn, 'label' | 'score' | 'prefixValue'> = {};
  if (message.label !== undefined) found.label = message.label;
  if (message.score !== undefined) found.score = message.score;
  if (message.prefixValue !== undefined) found.prefixValue = message.prefixValue;
  return found;
}

/** The message list of a record: the record itself when it is an array, else record[key] for the first key present. */
export function messageList(record: unknown, keys: readonly string[], format: string): { list: unknown[]; key: string } {
  if (Array.isArray(record)) return { list: record, key: '' };
  if (isRecord(record)) {
    for (const key of keys) if (Array.isArray(record[key])) return { list: record[key] as unknown[], key };
    // The key is there but holds no list: name it and what it holds.
    const present = keys.find((key) => record[key] !== undefined);
    if (present !== undefined) throw new InputError([{ path: present, message: `expected the ${format} transcript's messages as an array, got ${describe(record[present])}` }]);
  }
  throw new InputError(`expected ${/^[aeiou]/i.test(format) ? 'an' : 'a'} ${format} transcript: an array of messages or an object with ${keys.map((key) => `"${key}"`).join(' or ')}, got ${describe(record)}`);
}

/** The id of an `agents` entry: the entry itself, or the `id` of `{ id, role }`. */
export const agentIdOf = (agent: unknown) => (isRecord(agent) ? agent.id : agent);

/**
 * Throws an InputError for each listed agent that never speaks while a
 * speaker outside the cast (`outsiders`: neither listed nor context) is a
 * misspelling away from it: the name as typed would be a silent player and
 * the agent meant context, or no speaker at all in a text log, changing the
 * credit without a word. A listed agent that is silent with no such speaker
 * stays allowed: a roster shared across runs names agents that did not speak
 * in this one. The threshold is misspelledName's, tight on short names, so
 * that a silent "B" is not taken for a speaking "C".
 */
export function checkListedAgentsSpeak(listed: readonly unknown[], speaking: ReadonlySet<string>, outsiders: readonly string[], path: string): void {
  if (outsiders.length === 0) return;
  const issues = [];
  for (const id of listed.map(agentIdOf)) {
    if (typeof id !== 'string' || speaking.has(id)) continue;
    const meant = misspelledName(id, outsiders);
    if (meant !== undefined) issues.push({ path, message: `${describe(id)} never speaks in the transcript; did you mean ${describe(meant)}? (it speaks but is not listed)` });
  }
  if (issues.length > 0) throw new InputError(issues);
}

/** The speakers, of the turns and of `unlisted` (a text log's speaker lines no listed name opened), that are neither in `listed` nor context. */
function outsidersOf(turns: Turn[], unlisted: readonly string[], listed: readonly unknown[], context: unknown): string[] {
  const cast = new Set<unknown>([...listed.map(agentIdOf), ...(Array.isArray(context) ? context : [])]);
  for (const turn of turns) if (turn.context) cast.add(turn.agent);
  return [...new Set([...turns.map((turn) => turn.agent), ...unlisted])].filter((speaker) => !cast.has(speaker));
}

/**
 * checkListedAgentsSpeak on the agents beside the transcript, else on the
 * `agents` option, each error named after the one given. Exported for
 * fromText, whose log may have no turn at all when every name is misspelled.
 */
export function checkListedAgents(turns: Turn[], beside: Record<string, unknown>, defaults: AdapterDefaults, unlisted: readonly string[] = []): void {
  const given = beside.agents ?? defaults.agents;
  if (!Array.isArray(given)) return;
  const speaking = new Set(turns.map((turn) => turn.agent));
  checkListedAgentsSpeak(given, speaking, outsidersOf(turns, unlisted, given, beside.context), beside.agents === undefined ? 'options.agents' : 'agents');
}

/** Players and context speakers: as given, else as the coalition table names them, else by role. */
function castOf(turns: Turn[], beside: Record<string, unknown>, defaults: AdapterDefaults, unlisted: readonly string[]): { agents: unknown[]; context: unknown } {
  const speakers = [...new Set(turns.map((turn) => turn.agent))];
  const given = beside.agents ?? defaults.agents;
  if (given !== undefined) {
    if (!Array.isArray(given)) return { agents: given as unknown[], context: beside.context };
    checkListedAgents(turns, beside, defaults, unlisted);
    const players = new Set(given.map(agentIdOf));
    return { agents: given, context: beside.context ?? speakers.filter((speaker) => !players.has(speaker)) };
  }
  if (Array.isArray(beside.context)) {
    const context = new Set(beside.context);
    return { agents: speakers.filter((speaker) => !context.has(speaker)), context: beside.context };
  }
  let players: string[];
  if (Array.isArray(beside.coalitions)) {
    // A coalition table defines the game: its members are the players.
    const named = new Set<string>();
    for (const coalition of beside.coalitions) if (isRecord(coalition) && Array.isArray(coalition.agents)) for (const agent of coalition.agents) if (typeof agent === 'string') named.add(agent);
    const speaking = new Set(speakers);
    players = [...speakers.filter((speaker) => named.has(speaker)), ...[...named].filter((agent) => !speaking.has(agent))];
  } else {
    // Sets, not a scan of the turns per speaker: a log read without a roster may have thousands ("Step 1:", "Step 2:", ...).
    const playing = new Set(turns.filter((turn) => !turn.context).map((turn) => turn.agent));
    players = speakers.filter((speaker) => playing.has(speaker));
  }
  if (players.length === 0 && speakers.length > 0) {
    // The coalition table, when there is one, is what cast everyone as context: say so, not that the roles did.
    const why = Array.isArray(beside.coalitions)
      ? `the coalition table beside the transcript defines the players, and its coalitions name none of the speakers (${speakers.map(terminalText).join(', ')})`
      : `every speaker (${speakers.map(terminalText).join(', ')}) is context (system, developer, user, human, tool output)`;
    throw new InputError([{ path: 'agents', message: `no players: ${why}; name the players with agents: [...]` }]);
  }
  const cast = new Set(players);
  return { agents: players, context: speakers.filter((speaker) => !cast.has(speaker)) };
}

/**
 * Builds the episode v1 record: turns plus the episode fields beside the
 * transcript (or the defaults). `bareKey`: the key the adapter reads its list
 * (or text) from, when the input was that list (or text) alone, with no room
 * beside it for an outcome: a missing outcome then says how to wrap it.
 * `unlisted`: speakers a text log names on lines that opened no turn, since
 * the agents listed did not include them (checkListedAgentsSpeak reads them).
 */
export function episodeRecord(turns: Turn[], record: unknown, defaults: AdapterDefaults, bareKey?: string, unlisted: readonly string[] = []): Record<string, unknown> {
  const beside = isRecord(record) ? record : {};
  const episode: Record<string, unknown> = {};
  for (const field of EPISODE_FIELDS) if (beside[field] !== undefined) episode[field] = beside[field];
  episode.id ??= defaults.id;
  if (episode.task === undefined && defaults.task !== undefined) episode.task = defaults.task;
  episode.outcome ??= defaults.outcome;
  if (episode.outcome === undefined) {
    const wrap = bareKey === undefined
      ? ''
      : `; a bare ${bareKey === 'text' ? 'text' : 'list'} has no room for it: wrap it as {"${bareKey}": ${bareKey === 'text' ? '"..."' : '[...]'}, "outcome": { "score": 1, "success": true }} (in code, the adapter's second argument takes { outcome })`;
    throw new InputError([{ path: 'outcome', message: `missing: a transcript needs its evaluation beside it, e.g. "outcome": { "score": 1, "success": true }${wrap}` }]);
  }
  const { agents, context } = castOf(turns, beside, defaults, unlisted);
  episode.agents = agents;
  if (context !== undefined && !(Array.isArray(context) && context.length === 0)) episode.context = context;
  else delete episode.context;
  episode.messages = turns.map((turn) => {
    const message: Record<string, unknown> = { agent: turn.agent, content: turn.content };
    if (turn.id !== undefined) message.id = turn.id;
    if (turn.label !== undefined) message.label = turn.label;
    if (turn.score !== undefined) message.score = turn.score;
    if (turn.prefixValue !== undefined) message.prefixValue = turn.prefixValue;
    return message;
  });
  return episode;
}
