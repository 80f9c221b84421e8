// Which format a record is in (the CLI's --from auto, and the demo's file
// drop): each record is sniffed by the fields its format always has. A record
// that fits none is an error naming the formats it resembles most and the
// fields they would need.
import { InputError } from '../../core/errors.js';
import { describe } from '../../core/validate.js';
import { isRecord } from './common.js';
import { langChainType } from './langchain.js';
import { isSpanLike } from './otel-spans.js';
import { logText } from './text.js';

/** The formats a record can be read as (the CLI's --from values other than auto). */
export const RECORD_FORMATS = ['episode', 'openai', 'responses', 'ag2', 'autogen', 'langchain', 'otel', 'text', 'whowhen'] as const;
/** One of {@link RECORD_FORMATS}. */
export type RecordFormat = (typeof RECORD_FORMATS)[number];

/** Each format's name, as messages and the demo show it. */
export const FORMAT_LABELS: Record<RecordFormat, string> = {
  episode: 'episode v1',
  openai: 'OpenAI chat messages',
  responses: 'OpenAI Responses / Agents SDK items',
  ag2: 'AG2 GroupChat',
  autogen: 'AutoGen AgentChat TaskResult',
  langchain: 'LangChain / LangGraph messages',
  otel: 'OpenTelemetry / OpenInference spans',
  text: 'plain text transcript',
  whowhen: 'Who&When log',
};

const isLangChainType = (type: unknown) => typeof type === 'string' && langChainType(type) !== undefined;
const RESPONSES_TYPES = /^(message|function_call|function_call_output|function_call_result|reasoning|item_reference|compaction|[a-z_]+_call(_output|_result)?|[a-z_]+_item)$/;

const objects = (list: unknown[]) => list.filter(isRecord);

/** The format of a list of messages or items, by the fields of its entries. */
function listFormat(list: unknown[], key: string): RecordFormat | null {
  const items = objects(list);
  if (items.length === 0) return null;
  if (items.some((item) => typeof item.agent === 'string' && 'content' in item)) return 'episode';
  if (items.some((item) => typeof item.source === 'string' && 'content' in item)) return 'autogen';
  if (items.some((item) => isRecord(item.rawItem) || (typeof item.type === 'string' && RESPONSES_TYPES.test(item.type) && !isLangChainType(item.type)))) return 'responses';
  if (items.some((item) => item.lc === 1 || (isLangChainType(item.type) && !('role' in item)))) return 'langchain';
  if (items.some((item) => isSpanLike(item))) return 'otel';
  if (items.some((item) => typeof item.role === 'string' || typeof item.name === 'string')) {
    return key === 'chat_history' || items.some((item) => Array.isArray(item.tool_responses)) ? 'ag2' : 'openai';
  }
  return null;
}

/** The format `record` is in, or null when it fits none. */
export function detectFormat(record: unknown): RecordFormat | null {
  if (typeof record === 'string') return 'text';
  if (Array.isArray(record)) {
    if (record.length > 0 && record.every((item) => isRecord(item) && Array.isArray(item.resourceSpans))) return 'otel';
    return listFormat(record, '');
  }
  if (!isRecord(record)) return null;
  if (Array.isArray(record.resourceSpans)) return 'otel';
  if (Array.isArray(record.spans) && objects(record.spans).some(isSpanLike)) return 'otel';
  // An Agents SDK history may hold input messages written { role, content } without a type, as a Who&When history does:
  // its typed items (message, function_call, ...) tell it apart, so they are looked for first.
  if (Array.isArray(record.history) && listFormat(record.history, 'history') === 'responses') return 'responses';
  if (Array.isArray(record.history) && objects(record.history).some((item) => 'content' in item && !('type' in item))) return 'whowhen';
  for (const key of ['newItems', 'items', 'output']) if (Array.isArray(record[key]) && listFormat(record[key] as unknown[], key) === 'responses') return 'responses';
  // An Agents SDK run saved whole: its RunState, or JSON.stringify(result), which is { state }.
  const state = isRecord(record.state) ? record.state : record;
  if (Array.isArray(state.generatedItems) && listFormat(state.generatedItems, 'generatedItems') === 'responses') return 'responses';
  const checkpoint = isRecord(record.checkpoint) ? record.checkpoint : record;
  if ((isRecord(checkpoint.channel_values) && Array.isArray(checkpoint.channel_values.messages)) || (isRecord(record.values) && Array.isArray(record.values.messages))) return 'langchain';
  if (Array.isArray(record.chat_history)) return listFormat(record.chat_history, 'chat_history') === null ? null : 'ag2';
  if (Array.isArray(record.messages)) return listFormat(record.messages, 'messages');
  if (logText(record)) return 'text';
  return null;
}

/** Fields each format needs, for saying what a record that fits none lacks. A "|" separates alternatives; "x[].y" is field y of the first entry of list x. */
const NEEDS: Record<RecordFormat, string[]> = {
  episode: ['messages', 'messages[].agent', 'messages[].content', 'agents', 'outcome'],
  whowhen: ['history', 'history[].content', 'question', 'mistake_agent', 'mistake_step'],
  openai: ['messages', 'messages[].role', 'messages[].content'],
  ag2: ['chat_history|messages', 'chat_history|messages[].name', 'chat_history|messages[].content'],
  autogen: ['messages', 'messages[].source', 'messages[].type', 'messages[].content'],
  langchain: ['messages|channel_values.messages|values.messages', 'messages|channel_values.messages|values.messages[].type', 'messages|channel_values.messages|values.messages[].content'],
  responses: ['items|newItems|output|history', 'items|newItems|output|history[].type'],
  otel: ['resourceSpans|spans', 'resourceSpans|spans[].spanId|span_id', 'resourceSpans|spans[].traceId|trace_id'],
  text: ['trajectory|transcript|text|log'],
};

function lookup(value: unknown, path: string): unknown {
  let current = value;
  for (const key of path.split('.')) current = isRecord(current) ? current[key] : undefined;
  return current;
}

/** Whether `record` has the field `need` names (see {@link NEEDS}), and the field's name as the record would spell it. */
function has(record: unknown, need: string): { found: boolean; name: string } {
  const [container, field] = need.split('[].');
  const paths = container.split('|');
  const at = paths.findIndex((path) => lookup(record, path) !== undefined);
  const found = at === -1 ? undefined : lookup(record, paths[at]);
  if (field === undefined) return { found: found !== undefined, name: paths.join(' or ') };
  const fields = field.split('|');
  const list = at === -1 ? `${paths.join(' or ')}` : paths[at];
  const name = `${list}[0].${fields.join(' or ')}`;
  const first = Array.isArray(found) ? found.find(isRecord) : undefined;
  return { found: first !== undefined && fields.some((key) => first[key] !== undefined), name };
}

/** The formats a record resembles most (most needed fields present first), with the fields each lacks. */
export function resemblance(record: unknown): Array<{ format: RecordFormat; missing: string[] }> {
  const target = Array.isArray(record) ? { messages: record, items: record, spans: record } : record;
  return RECORD_FORMATS.map((format) => {
    const checks = NEEDS[format].map((need) => has(target, need));
    const missing = checks.filter((check) => !check.found).map((check) => check.name);
    return { format, missing, present: checks.length - missing.length, share: 1 - missing.length / checks.length };
  })
    .filter((item) => item.present > 0)
    .sort((a, b) => b.present - a.present || b.share - a.share)
    .map(({ format, missing }) => ({ format, missing }));
}

/** The format of `record`, or an InputError naming what it resembles most and which fields are missing. */
export function formatOf(record: unknown): RecordFormat {
  const format = detectFormat(record);
  if (format) return format;
  const close = resemblance(record).slice(0, 2);
  const hints = close.map(({ format: near, missing }) => `${FORMAT_LABELS[near]} (missing ${missing.join(', ')})`);
  const shown = isRecord(record) ? `an object with ${Object.keys(record).slice(0, 8).map((key) => JSON.stringify(key)).join(', ') || 'no fields'}` : describe(record);
  throw new InputError([{ path: '', message: `not a known format (${shown}); ${hints.length > 0 ? `closest: ${hints.join('; ')}` : `expected one of ${RECORD_FORMATS.map((format) => FORMAT_LABELS[format]).join(', ')}`}. Name the format with --from to see every field at fault.` }]);
}
