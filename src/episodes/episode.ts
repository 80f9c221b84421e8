// Episode format v1: one multi-agent run plus its evaluation. The schema is
// exported so users can validate their own data; cross-field rules (known
// agents, unique ids, a complete coalition table that agrees with the
// outcome) are part of it. One parse names every field of the wrong shape;
// the cross-field rules run once every field has its shape.
import * as z from 'zod/mini';
import { InputError, type InputIssue } from '../core/errors.js';
import { describe, formatPath, isRecord, misspelledName } from '../core/validate.js';
import { terminalText } from '../core/terminal-text.js';
import { validEpisode } from './fast-validation.js';
import { EPISODE_FIELDS, EPISODE_MAX_TABLE_AGENTS, MESSAGE_LABELS, type Episode, type EpisodeMessage } from './vocabulary.js';

export { EPISODE_MAX_TABLE_AGENTS, MESSAGE_LABELS } from './vocabulary.js';
export type { Episode, EpisodeMessage, MessageLabel } from './vocabulary.js';

const name = (what: string) =>
  z.string({ error: (issue) => `expected ${what} as a string, got ${describe(issue.input)}` }).check(
    z.minLength(1, { error: (issue) => `expected ${what} as a non-empty string, got ${describe(issue.input)}` }),
  );


/** An object schema whose own type error says what was expected and what came. */
const objectError = (what: string) => ({ error: (issue: { input?: unknown }) => `expected ${what}, got ${describe(issue.input)}` });

function numberIn(low: number, high: number, what: string) {
  return z.number({ error: (issue) => `expected ${what} as a finite number in [${low}, ${high}], got ${describe(issue.input)}` }).check(
    z.refine((x) => x >= low && x <= high, { error: (issue) => `expected ${what} in [${low}, ${high}], got ${describe(issue.input)}` }),
  );
}

export const messageLabelSchema = z.enum(MESSAGE_LABELS, {
  error: (issue) => `expected one of ${MESSAGE_LABELS.join(', ')}; got ${describe(issue.input)}`,
});

/** Which part of an agent entry is wrong, for the union's single error. */
function agentError(input: unknown): string {
  if (isRecord(input)) {
    if (typeof input.id !== 'string' || input.id === '') return `expected the agent's id as a non-empty string, got ${describe(input.id)}`;
    if (input.role !== undefined && typeof input.role !== 'string') return `expected the agent's role as a string, got ${describe(input.role)}`;
  }
  return `expected an agent id (string) or { id, role }, got ${describe(input)}`;
}

export const agentSchema = z.union([name('an agent id'), z.looseObject({ id: name('an agent id'), role: z.optional(z.string()) })], {
  error: (issue) => agentError(issue.input),
});

/** One message of an episode: who spoke, what, and the judge's optional label, score and prefix value. */
export const messageSchema = z.looseObject({
  id: z.optional(name('a message id')),
  agent: name('the agent of the message'),
  content: z.string({ error: (issue) => `expected the message content as a string, got ${describe(issue.input)}` }),
  label: z.optional(messageLabelSchema),
  score: z.optional(numberIn(-1, 1, "the judge's helpfulness score")),
  prefixValue: z.optional(numberIn(0, 1, 'the success probability after this message')),
}, objectError('a message { agent, content, id?, label?, score?, prefixValue? }'));

/** The fields of a message its quality, reward and first error are read from. */
const messageMarksSchema = z.looseObject({
  label: z.optional(messageLabelSchema),
  score: z.optional(numberIn(-1, 1, "the judge's helpfulness score")),
  prefixValue: z.optional(numberIn(0, 1, 'the success probability after this message')),
}, objectError('a message { label?, score?, prefixValue?, ... }'));

const messageMarksListSchema = z.array(messageMarksSchema, { error: (issue) => `expected an array of messages, got ${describe(issue.input)}` });
const messageListSchema = z.array(messageSchema, { error: (issue) => `expected an array of messages, got ${describe(issue.input)}` });

/**
 * For the functions that take messages outside an episode: throws an
 * InputError (headed by `context`) naming every field at fault unless
 * `value` is a message, or with `list` an array of messages, whose label,
 * score and prefixValue are valid; with `full`, agent and content too.
 */
export function checkMessages(value: unknown, path: string, context: string, { list = true, full = false } = {}): void {
  const schema = list ? (full ? messageListSchema : messageMarksListSchema) : full ? messageSchema : messageMarksSchema;
  const result = schema.safeParse(value);
  if (result.success) return;
  throw new InputError(result.error.issues.map((issue) => ({ path: formatPath([path, ...issue.path]), message: issue.message })), context);
}

export const outcomeSchema = z.looseObject({
  score: z.number({ error: (issue) => `expected outcome.score (v of the whole team) as a finite number, got ${describe(issue.input)}` }),
  success: z.boolean({ error: (issue) => `expected outcome.success as true or false, got ${describe(issue.input)}` }),
}, objectError('the outcome as { score: number, success: boolean }'));

export const coalitionSchema = z.looseObject({
  agents: z.array(name('an agent id'), { error: (issue) => `expected the coalition members as an array of agent ids, got ${describe(issue.input)}` }),
  value: z.number({ error: (issue) => `expected the coalition value as a finite number, got ${describe(issue.input)}` }),
}, objectError('a coalition { agents, value }'));

export const repairSchema = z.looseObject({
  message: name('the id of the repaired message'),
  content: z.string({ error: (issue) => `expected the repaired content as a string, got ${describe(issue.input)}` }),
}, objectError('a repair { message, content }'));

const episodeShape = z.looseObject({
  id: name('the episode id'),
  task: z.optional(z.string({ error: (issue) => `expected the task as a string, got ${describe(issue.input)}` })),
  agents: z.array(agentSchema, { error: (issue) => `expected agents as an array, got ${describe(issue.input)}` }).check(z.minLength(1, 'expected at least one agent')),
  context: z.optional(z.array(name('a context speaker'), { error: (issue) => `expected context as an array of speaker names (non-players), got ${describe(issue.input)}` })),
  messages: z.array(messageSchema, { error: (issue) => `expected messages as an array, got ${describe(issue.input)}` }).check(z.minLength(1, 'expected at least one message')),
  outcome: outcomeSchema,
  coalitions: z.optional(z.array(coalitionSchema, { error: (issue) => `expected coalitions as an array of { agents, value }, got ${describe(issue.input)}` })),
  repairs: z.optional(z.array(repairSchema, { error: (issue) => `expected repairs as an array of { message, content }, got ${describe(issue.input)}` })),
  annotations: z.optional(z.record(z.string(), z.unknown(), { error: (issue) => `expected annotations as an object (passed through as it is), got ${describe(issue.input)}` })),
}, objectError('an episode object { id, agents, messages, outcome, ... }'));

type EpisodeInput = z.output<typeof episodeShape>;

/**
 * Episode format v1, with every cross-field rule. Keys outside the format are
 * let through (and dropped by parseEpisode), except a near-miss of a field the
 * object lacks: that is a misspelling, which would silently change the numbers.
 */
export const episodeSchema = episodeShape.check(
  z.superRefine((episode, ctx) => {
    for (const issue of crossFieldIssues(episode)) {
      ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message, input: undefined });
    }
  }),
  // Runs even when other fields are at fault, so one parse names the misspelling beside them.
  z.superRefine((episode, ctx) => {
    for (const issue of unknownFields(episode).misspelled) {
      ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message, input: undefined });
    }
  }, { when: () => true }),
);

type UnknownFields = { misspelled: PathIssue[]; ignored: string[] };

/** Sorts the keys of `object` outside `known` into misspellings of a field it lacks and other keys. */
function sortUnknown(object: unknown, known: readonly string[], path: Array<string | number>, found: UnknownFields): void {
  if (!isRecord(object)) return;
  const absent = known.filter((field) => !Object.prototype.hasOwnProperty.call(object, field));
  for (const key of Object.keys(object)) {
    if (known.includes(key)) continue;
    const near = misspelledName(key, absent);
    if (near) found.misspelled.push({ path: [...path, key], message: `unknown field (holding ${describe(object[key])}); did you mean ${near}?` });
    else found.ignored.push(formatPath([...path, key]));
  }
}

/** The keys of a record that episode v1 does not read, at every level but annotations (which is free-form). */
function unknownFields(record: unknown): UnknownFields {
  const found: UnknownFields = { misspelled: [], ignored: [] };
  if (!isRecord(record)) return found;
  sortUnknown(record, EPISODE_FIELDS.episode, [], found);
  const each = (list: unknown, known: readonly string[], key: string) => {
    if (Array.isArray(list)) list.forEach((item, i) => sortUnknown(item, known, [key, i], found));
  };
  each(record.agents, EPISODE_FIELDS.agent, 'agents');
  each(record.messages, EPISODE_FIELDS.message, 'messages');
  sortUnknown(record.outcome, EPISODE_FIELDS.outcome, ['outcome'], found);
  each(record.coalitions, EPISODE_FIELDS.coalition, 'coalitions');
  each(record.repairs, EPISODE_FIELDS.repair, 'repairs');
  return found;
}

/** An episode record as the schema outputs it (before normalization by parseEpisode). */
export type EpisodeRecord = z.output<typeof episodeSchema>;

/** Where a record came from, for error messages. */
export interface RecordSource {
  file?: string;
  /** 1-based line number in a JSONL file. */
  line?: number;
  /** The input format the record was read as, when it was detected (--from auto) rather than named. */
  format?: string;
}

/** A record that is not a valid episode: says which episode, which line and which field. */
export class EpisodeError extends InputError {
  override name = 'EpisodeError';
  constructor(
    issues: InputIssue[] | string,
    readonly episode: string | undefined,
    readonly source: RecordSource = {},
  ) {
    super(issues, recordContext(episode, source));
  }
}

export function recordContext(episode: string | undefined, source: RecordSource): string {
  const where = [source.file === undefined ? undefined : terminalText(source.file), source.line === undefined ? undefined : `line ${source.line}`].filter(Boolean).join(' ');
  const which = episode === undefined ? 'episode (no id)' : `episode ${JSON.stringify(episode)}`;
  const read = source.format === undefined ? '' : ` (read as ${source.format})`;
  return where ? `${where}, ${which}${read}` : `${which}${read}`;
}

const agentId = (agent: EpisodeInput['agents'][number]) => (typeof agent === 'string' ? agent : agent.id);
// Names come from the record: shown as terminalText shows them, a newline in one cannot start a line of the message.
const nameList = (names: string[]) => names.map(terminalText).join(', ');
const setText = (members: string[]) => `{${nameList(members)}}`;

type PathIssue = { path: Array<string | number>; message: string };

function crossFieldIssues(episode: EpisodeInput): PathIssue[] {
  const issues: PathIssue[] = [];
  const agents = episode.agents.map(agentId);
  const agentIndex = new Map<string, number>();
  agents.forEach((agent, i) => {
    const first = agentIndex.get(agent);
    if (first !== undefined) issues.push({ path: ['agents', i], message: `duplicate agent ${JSON.stringify(agent)} (also at agents[${first}])` });
    else agentIndex.set(agent, i);
  });
  const context = episode.context ?? [];
  const contextIndex = new Map<string, number>();
  context.forEach((speaker, i) => {
    const first = contextIndex.get(speaker);
    if (first !== undefined) issues.push({ path: ['context', i], message: `duplicate context speaker ${JSON.stringify(speaker)} (also at context[${first}])` });
    else if (agentIndex.has(speaker)) issues.push({ path: ['context', i], message: `${JSON.stringify(speaker)} is listed in agents too; a speaker is either a player (agents) or context, not both` });
    else contextIndex.set(speaker, i);
  });
  // An agent list that is itself at fault (empty, or an empty id) says nothing about the messages' agents.
  const agentsValid = agents.length > 0 && agents.every((agent) => typeof agent === 'string' && agent !== '');
  const expected = context.length > 0 ? `${nameList(agents)} (players) or ${nameList(context)} (context)` : nameList(agents);
  const messageIndex = new Map<string, number>();
  episode.messages.forEach((message, i) => {
    if (agentsValid && !agentIndex.has(message.agent) && !contextIndex.has(message.agent)) {
      issues.push({ path: ['messages', i, 'agent'], message: `unknown agent ${JSON.stringify(message.agent)}; expected one of ${expected}` });
    }
    const id = message.id ?? String(i);
    const first = messageIndex.get(id);
    if (first !== undefined) issues.push({ path: ['messages', i, 'id'], message: `duplicate message id ${JSON.stringify(id)} (also messages[${first}])` });
    else messageIndex.set(id, i);
  });
  episode.repairs?.forEach((repair, i) => {
    const m = messageIndex.get(repair.message);
    if (m === undefined) issues.push({ path: ['repairs', i, 'message'], message: `no message has id ${JSON.stringify(repair.message)}` });
    else if (contextIndex.has(episode.messages[m].agent)) {
      issues.push({ path: ['repairs', i, 'message'], message: `message ${JSON.stringify(repair.message)} is by ${JSON.stringify(episode.messages[m].agent)}, a context speaker; only players' messages take repairs` });
    }
    // A repair is the chosen side of a DPO pair and a desirable KTO row: blank, it would teach saying nothing.
    if (repair.content.trim() === '') {
      issues.push({ path: ['repairs', i, 'content'], message: `a blank repair (${JSON.stringify(repair.content)}): it is the chosen side of a DPO pair; give the repaired text, or leave the repair out` });
    }
  });
  // Coalitions are sets of agents: against an agent list at fault, every member would be "unknown".
  if (episode.coalitions && agentsValid && issues.length === 0) issues.push(...coalitionIssues(episode, agents, agentIndex, contextIndex));
  return issues;
}

function coalitionIssues(episode: EpisodeInput, agents: string[], agentIndex: Map<string, number>, contextIndex: Map<string, number>): PathIssue[] {
  const n = agents.length;
  if (n > EPISODE_MAX_TABLE_AGENTS) {
    return [{ path: ['coalitions'], message: `a table for ${n} agents needs 2^${n} coalitions; at most ${EPISODE_MAX_TABLE_AGENTS} agents take a table. Pass an evaluate function instead (attributeEpisode options).` }];
  }
  const issues: PathIssue[] = [];
  const disagreement: PathIssue[] = [];
  const seen = new Map<number, number>();
  const full = 2 ** n - 1;
  episode.coalitions!.forEach((coalition, c) => {
    let mask = 0;
    const before = issues.length;
    coalition.agents.forEach((agent, j) => {
      const i = agentIndex.get(agent);
      if (i === undefined) {
        const message = contextIndex.has(agent)
          ? `${JSON.stringify(agent)} is context, not a player; coalitions list players (agents) only: ${nameList(agents)}`
          : `unknown agent ${JSON.stringify(agent)}; expected one of ${nameList(agents)}`;
        issues.push({ path: ['coalitions', c, 'agents', j], message });
      }
      else if (mask & (1 << i)) issues.push({ path: ['coalitions', c, 'agents', j], message: `agent ${JSON.stringify(agent)} listed twice` });
      else mask |= 1 << i;
    });
    // A coalition with a bad member has no set to compare: its mask leaves that member out, so it would seem to repeat another.
    if (issues.length > before) return;
    const first = seen.get(mask);
    if (first !== undefined) issues.push({ path: ['coalitions', c], message: `coalition ${setText(coalition.agents)} given twice (also coalitions[${first}])` });
    else seen.set(mask, c);
    if (mask === full && Math.abs(coalition.value - episode.outcome.score) > 1e-9 * Math.max(1, Math.abs(episode.outcome.score))) {
      disagreement.push({ path: ['coalitions', c, 'value'], message: `v(whole team) = ${coalition.value} disagrees with outcome.score = ${episode.outcome.score}` });
    }
  });
  // Unknown or repeated members make the masks meaningless; a disagreeing v(team) does not.
  if (issues.length > 0) return [...issues, ...disagreement];
  issues.push(...disagreement);
  const missing: string[] = [];
  for (let mask = 0; mask < full; mask++) {
    if (!seen.has(mask)) missing.push(setText(agents.filter((_, i) => mask & (1 << i))));
  }
  if (missing.length > 0) {
    const shown = missing.length > 12 ? [...missing.slice(0, 12), `... and ${missing.length - 12} more`] : missing;
    issues.push({ path: ['coalitions'], message: `exact attribution needs all 2^${n} = ${2 ** n} coalitions; missing ${missing.length}: ${shown.join(', ')}` });
  }
  return issues;
}

function normalize(record: EpisodeRecord, ignoredFields: string[]): Episode {
  const agents = record.agents.map(agentId);
  let table: Float64Array | null = null;
  if (record.coalitions) {
    const index = new Map(agents.map((agent, i) => [agent, i]));
    table = new Float64Array(2 ** agents.length);
    for (const coalition of record.coalitions) {
      let mask = 0;
      for (const agent of coalition.agents) mask |= 1 << index.get(agent)!;
      table[mask] = coalition.value;
    }
    table[table.length - 1] = record.outcome.score;
  }
  return {
    id: record.id,
    task: record.task,
    agents,
    context: record.context ?? [],
    roles: record.agents.map((agent) => (typeof agent === 'string' ? undefined : agent.role)),
    messages: record.messages.map((message, i) => {
      const normal: EpisodeMessage = { id: message.id ?? String(i), agent: message.agent, content: message.content };
      if (message.label !== undefined) normal.label = message.label;
      if (message.score !== undefined) normal.score = message.score;
      if (message.prefixValue !== undefined) normal.prefixValue = message.prefixValue;
      return normal;
    }),
    outcome: record.outcome,
    table,
    repairs: record.repairs ?? [],
    ...(record.annotations === undefined ? {} : { annotations: record.annotations }),
    ...(ignoredFields.length === 0 ? {} : { ignoredFields }),
  };
}

function episodeIdOf(value: unknown): string | undefined {
  if (value && typeof value === 'object' && 'id' in value) {
    const id = (value as { id: unknown }).id;
    if (typeof id === 'string' || typeof id === 'number') return String(id);
  }
  return undefined;
}

/**
 * The episodes parseEpisode built. asEpisode takes these as they are; any
 * other object, however Episode-like it looks (a parsed episode that went
 * through JSON or structuredClone, or a record that happens to have `table`
 * and `roles` keys), is validated in full.
 */
const built = new WeakSet<object>();

function mark(episode: Episode): Episode {
  built.add(episode);
  return episode;
}

/**
 * Validates one episode record and brings it into normal form.
 * Throws an EpisodeError naming the episode, the line (when given) and every field at fault.
 */
export function parseEpisode(value: unknown, source: RecordSource = {}): Episode {
  const fast = validEpisode(value);
  if (fast) return mark(fast);
  const result = episodeSchema.safeParse(value);
  if (!result.success) {
    const issues = result.error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
    throw new EpisodeError(issues, episodeIdOf(value), source);
  }
  return mark(normalize(result.data, unknownFields(value).ignored));
}


/**
 * The values of a normal-form table: a Float64Array (or array) of 2^n numbers,
 * or the object JSON.stringify makes of a Float64Array ({"0": v0, "1": v1, ...}).
 */
function tableValues(table: unknown, size: number): unknown[] | undefined {
  if (table instanceof Float64Array || Array.isArray(table)) return Array.from(table as ArrayLike<unknown>);
  if (!isRecord(table)) return undefined;
  const keys = Object.keys(table);
  if (keys.length !== size) return undefined;
  const values: unknown[] = [];
  for (let mask = 0; mask < size; mask++) {
    if (!Object.prototype.hasOwnProperty.call(table, mask)) return undefined;
    values.push(table[mask]);
  }
  return values;
}

/**
 * An Episode in normal form that parseEpisode did not build (reloaded from
 * JSON, cloned, or made by hand) turned back into a record: roles onto the
 * agents, the table into coalitions. Problems with `table` and `roles` are
 * returned; everything else is left to the schema.
 */
function recordOfNormalForm(value: Record<string, unknown>): { record: Record<string, unknown>; issues: InputIssue[]; fromTable: boolean } {
  // ignoredFields is what an earlier parse dropped: not a key of the record.
  const { table, roles, ignoredFields: _, ...record } = value;
  const issues: InputIssue[] = [];
  const agents = Array.isArray(value.agents) ? value.agents : undefined;
  if (roles !== undefined && agents) {
    const valid = Array.isArray(roles) && roles.length === agents.length && roles.every((role) => role === undefined || role === null || typeof role === 'string');
    if (!valid) issues.push({ path: 'roles', message: `expected one role per agent (a string, or null for none), ${agents.length} in all; got ${describe(roles)}` });
    else record.agents = agents.map((agent, i) => (typeof agent === 'string' && typeof roles[i] === 'string' ? { id: agent, role: roles[i] } : agent));
  }
  let fromTable = false;
  if (table !== undefined && table !== null && agents) {
    const ids = agents.map((agent) => (isRecord(agent) ? agent.id : agent));
    const n = ids.length;
    const size = n <= EPISODE_MAX_TABLE_AGENTS ? 2 ** n : 0;
    const values = size ? tableValues(table, size) : undefined;
    if (value.coalitions !== undefined) {
      issues.push({ path: 'table', message: 'expected either a table (normal form) or coalitions (record), not both' });
    } else if (!values || values.length !== size) {
      issues.push({
        path: 'table',
        message: size
          ? `expected a Float64Array of 2^${n} = ${size} coalition values (table[mask] = v(S), bit i = agents[i]) or null, got ${table instanceof Float64Array || Array.isArray(table) ? `${(table as ArrayLike<unknown>).length} values` : describe(table)}`
          : `a table for ${n} agents needs 2^${n} coalitions; at most ${EPISODE_MAX_TABLE_AGENTS} agents take a table`,
      });
    } else {
      fromTable = true;
      record.coalitions = values.map((v, mask) => ({ agents: ids.filter((_, i) => mask & (1 << i)), value: v }));
    }
  }
  return { record, issues, fromTable };
}

/** A coalitions[k] issue of a record made from a table, said of table[k] (k is the mask). */
function tablePath(path: string): string {
  return path.replace(/^coalitions\[(\d+)\](?:\.value)?/, 'table[$1]').replace(/^coalitions$/, 'table');
}

/**
 * Accepts an Episode built by parseEpisode as is; validates anything else in
 * full. An object in normal form (with `table` and `roles`, e.g. a parsed
 * episode reloaded from JSON) is read back as a record, its table as the
 * coalitions. An Episode changed after parsing is taken as it is: re-parse
 * it (or its record) after editing.
 */
export function asEpisode(value: Episode | unknown, source: RecordSource = {}): Episode {
  if (typeof value === 'object' && value !== null && built.has(value)) return value as Episode;
  if (!isRecord(value) || !('table' in value || 'roles' in value)) return parseEpisode(value, source);
  const { record, issues, fromTable } = recordOfNormalForm(value);
  try {
    const episode = parseEpisode(record, source);
    if (issues.length === 0) return episode;
  } catch (error) {
    if (!(error instanceof EpisodeError)) throw error;
    const more = error.issues.map((issue) => (fromTable ? { path: tablePath(issue.path), message: issue.message } : issue));
    throw new EpisodeError([...issues, ...more], error.episode, source);
  }
  throw new EpisodeError(issues, episodeIdOf(value), source);
}
