// The fast path of episode validation, for datasets of many records: plain
// loops that accept a record only when the schema in episode.ts certainly
// would, and build the normal form directly. Anything else (every invalid
// record included) goes through the zod schema, which names what is wrong.
// The two must agree; test/episode.test.ts checks them against each other.
import { EPISODE_FIELDS, EPISODE_MAX_TABLE_AGENTS, MESSAGE_LABELS, type Episode, type EpisodeMessage, type MessageLabel } from './vocabulary.js';
import { isRecord } from '../core/validate.js';

const LABELS = new Set<unknown>(MESSAGE_LABELS);

type Loose = Record<string, unknown>;

const KNOWN = Object.fromEntries(Object.entries(EPISODE_FIELDS).map(([what, fields]) => [what, new Set<string>(fields)])) as Record<keyof typeof EPISODE_FIELDS, Set<string>>;

/** Whether every key of `object` is a field of episode v1; any other key is the schema's to report. */
function onlyKnown(object: Loose, known: Set<string>): boolean {
  for (const key in object) if (!known.has(key)) return false;
  return true;
}

const isName = (value: unknown): value is string => typeof value === 'string' && value.length > 0;
const isFiniteIn = (value: unknown, low: number, high: number) => typeof value === 'number' && value >= low && value <= high;
const isFinite = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

function agentsOf(list: unknown): { agents: string[]; roles: Array<string | undefined>; index: Map<string, number> } | undefined {
  if (!Array.isArray(list) || list.length === 0) return undefined;
  const agents: string[] = [];
  const roles: Array<string | undefined> = [];
  const index = new Map<string, number>();
  for (const agent of list) {
    let id: unknown = agent;
    let role: string | undefined;
    if (isRecord(agent)) {
      if (!onlyKnown(agent, KNOWN.agent)) return undefined;
      id = agent.id;
      if (agent.role !== undefined && typeof agent.role !== 'string') return undefined;
      role = agent.role as string | undefined;
    }
    if (!isName(id) || index.has(id)) return undefined;
    index.set(id, agents.length);
    agents.push(id);
    roles.push(role);
  }
  return { agents, roles, index };
}

/** The context speakers: unique names, none of them a player. */
function contextOf(list: unknown, players: Map<string, number>): Set<string> | undefined {
  if (list === undefined) return new Set();
  if (!Array.isArray(list)) return undefined;
  const speakers = new Set<string>();
  for (const speaker of list) {
    if (!isName(speaker) || speakers.has(speaker) || players.has(speaker)) return undefined;
    speakers.add(speaker);
  }
  return speakers;
}

function messagesOf(list: unknown, index: Map<string, number>, context: Set<string>): EpisodeMessage[] | undefined {
  if (!Array.isArray(list) || list.length === 0) return undefined;
  const messages: EpisodeMessage[] = [];
  const ids = new Set<string>();
  for (let m = 0; m < list.length; m++) {
    const raw = list[m];
    if (!isRecord(raw) || !onlyKnown(raw, KNOWN.message)) return undefined;
    const { id = String(m), agent, content, label, score, prefixValue } = raw;
    if (!isName(id) || ids.has(id) || !isName(agent) || !(index.has(agent) || context.has(agent)) || typeof content !== 'string') return undefined;
    ids.add(id);
    const message: EpisodeMessage = { id, agent, content };
    if (label !== undefined) {
      if (!LABELS.has(label)) return undefined;
      message.label = label as MessageLabel;
    }
    if (score !== undefined) {
      if (!isFiniteIn(score, -1, 1)) return undefined;
      message.score = score as number;
    }
    if (prefixValue !== undefined) {
      if (!isFiniteIn(prefixValue, 0, 1)) return undefined;
      message.prefixValue = prefixValue as number;
    }
    messages.push(message);
  }
  return messages;
}

function tableOf(list: unknown, index: Map<string, number>, score: number): Float64Array | null | undefined {
  if (list === undefined) return null;
  const n = index.size;
  if (!Array.isArray(list) || n > EPISODE_MAX_TABLE_AGENTS) return undefined;
  const size = 2 ** n;
  const table = new Float64Array(size);
  const seen = new Uint8Array(size);
  let count = 0;
  for (const coalition of list) {
    if (!isRecord(coalition) || !onlyKnown(coalition, KNOWN.coalition) || !Array.isArray(coalition.agents) || !isFinite(coalition.value)) return undefined;
    let mask = 0;
    for (const agent of coalition.agents) {
      const i = typeof agent === 'string' ? index.get(agent) : undefined;
      if (i === undefined || mask & (1 << i)) return undefined;
      mask |= 1 << i;
    }
    if (seen[mask]) return undefined;
    seen[mask] = 1;
    count++;
    table[mask] = coalition.value;
  }
  const full = size - 1;
  if (seen[full] && Math.abs(table[full] - score) > 1e-9 * Math.max(1, Math.abs(score))) return undefined;
  if (count !== (seen[full] ? size : size - 1)) return undefined;
  table[full] = score;
  return table;
}

function repairsOf(list: unknown, messages: EpisodeMessage[], context: Set<string>): Episode['repairs'] | undefined {
  if (list === undefined) return [];
  if (!Array.isArray(list)) return undefined;
  const ids = new Set(messages.filter((message) => !context.has(message.agent)).map((message) => message.id));
  const repairs: Episode['repairs'] = [];
  for (const repair of list) {
    if (!isRecord(repair) || !onlyKnown(repair, KNOWN.repair) || !isName(repair.message) || !ids.has(repair.message) || typeof repair.content !== 'string' || repair.content.trim() === '') return undefined;
    repairs.push({ message: repair.message, content: repair.content });
  }
  return repairs;
}

/** The normal form of `value` when it is certainly a valid episode, else undefined. */
export function validEpisode(value: unknown): Episode | undefined {
  if (!isRecord(value) || !onlyKnown(value, KNOWN.episode)) return undefined;
  const { id, task, outcome } = value;
  if (!isName(id) || (task !== undefined && typeof task !== 'string')) return undefined;
  if (!isRecord(outcome) || !onlyKnown(outcome, KNOWN.outcome) || !isFinite(outcome.score) || typeof outcome.success !== 'boolean') return undefined;
  const cast = agentsOf(value.agents);
  if (!cast) return undefined;
  const context = contextOf(value.context, cast.index);
  if (!context) return undefined;
  const messages = messagesOf(value.messages, cast.index, context);
  if (!messages) return undefined;
  const table = tableOf(value.coalitions, cast.index, outcome.score);
  if (table === undefined) return undefined;
  const repairs = repairsOf(value.repairs, messages, context);
  if (!repairs) return undefined;
  const { annotations } = value;
  if (annotations !== undefined && !isRecord(annotations)) return undefined;
  const episode: Episode = {
    id, agents: cast.agents, context: [...context], roles: cast.roles, messages,
    outcome: { score: outcome.score, success: outcome.success },
    table, repairs,
  };
  if (task !== undefined) episode.task = task;
  if (annotations !== undefined) episode.annotations = annotations;
  return episode;
}
