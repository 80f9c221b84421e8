// What every adapter shares: turning a framework's message content into text,
// and wrapping the turns in an episode v1 record with the evaluation that
// travels beside the transcript (outcome, coalitions, repairs).
import { InputError } from '../../core/errors.js';
import { describe, isRecord } from '../../core/validate.js';

/** One turn of a transcript, already attributed to an agent. */
export interface Turn {
  agent: string;
  content: string;
  id?: string;
  label?: unknown;
  score?: unknown;
  prefixValue?: unknown;
}

/** Episode fields a caller may supply for transcripts that do not carry them. */
export interface AdapterDefaults {
  id?: string;
  task?: string;
  outcome?: { score: number; success: boolean };
}

/** The episode fields that may travel beside a transcript in its record. */
const EPISODE_FIELDS = ['id', 'task', 'agents', 'outcome', 'coalitions', 'repairs'] as const;

/** Re-exported for the adapters, which import their helpers from here. */
export { isRecord };

/** How deeply a content field may nest lists and objects; real transcripts need a handful of levels. */
export const MAX_CONTENT_DEPTH = 64;

/** Whether a JSON value nests lists/objects more than `limit` levels deep (iterative: safe on any depth). */
function deeperThan(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (item === null || typeof item !== 'object') continue;
    if (depth >= limit) return true;
    for (const child of Array.isArray(item) ? item : Object.values(item)) stack.push([child, depth + 1]);
  }
  return false;
}

/**
 * Text of a content field: strings as they are, lists of parts joined, tool
 * calls spelled out. `path` names the field in the error thrown when it nests
 * more than {@link MAX_CONTENT_DEPTH} levels deep (an InputError, where
 * unbounded recursion would overflow the stack).
 */
export function textOf(content: unknown, path = 'content'): string {
  if (deeperThan(content, MAX_CONTENT_DEPTH)) {
    throw new InputError([{ path, message: `nested more than ${MAX_CONTENT_DEPTH} levels deep; expected a string, a list of parts or a tool call` }]);
  }
  return textAt(content);
}

function textAt(content: unknown): string {
  if (typeof content === 'string') return content;
  if (content === null || content === undefined) return '';
  if (Array.isArray(content)) return content.map(textAt).filter((part) => part !== '').join('\n');
  if (isRecord(content)) {
    if (typeof content.text === 'string') return content.text;
    if (content.type === 'image_url' || content.type === 'image') return '[image]';
    if (typeof content.name === 'string' && 'arguments' in content) return `${content.name}(${textAt(content.arguments)})`;
    if (isRecord(content.function)) return textAt(content.function);
    if ('content' in content) return textAt(content.content);
  }
  return JSON.stringify(content);
}

/** A required string field of a message, or an InputError naming it. */
export function stringField(message: Record<string, unknown>, key: string, path: string): string {
  const value = message[key];
  if (typeof value !== 'string' || value === '') throw new InputError([{ path: `${path}.${key}`, message: `expected a non-empty string, got ${describe(value)}` }]);
  return value;
}

export function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Judge annotations a transcript may carry on its messages (label, score, prefixValue). */
export function annotations(message: Record<string, unknown>): Pick<Turn, 'label' | 'score' | 'prefixValue'> {
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
  }
  throw new InputError(`expected a ${format} transcript: an array of messages or an object with ${keys.map((key) => `"${key}"`).join(' or ')}, got ${describe(record)}`);
}

/** Builds the episode v1 record: turns plus the episode fields beside the transcript (or the defaults). */
export function episodeRecord(turns: Turn[], record: unknown, defaults: AdapterDefaults): Record<string, unknown> {
  const beside = isRecord(record) ? record : {};
  const episode: Record<string, unknown> = {};
  for (const field of EPISODE_FIELDS) if (beside[field] !== undefined) episode[field] = beside[field];
  episode.id ??= defaults.id;
  if (episode.task === undefined && defaults.task !== undefined) episode.task = defaults.task;
  episode.outcome ??= defaults.outcome;
  if (episode.outcome === undefined) {
    throw new InputError([{ path: 'outcome', message: 'missing: a transcript needs its evaluation beside it, e.g. "outcome": { "score": 1, "success": true }' }]);
  }
  if (episode.agents === undefined) episode.agents = [...new Set(turns.map((turn) => turn.agent))];
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
