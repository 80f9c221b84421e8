// LangChain / LangGraph messages. Accepted serializations: the plain form
// ({ type, content, name, id, ... } from model_dump), messages_to_dict
// ({ type, data: {...} }) and dumpd / JSON.stringify of a message
// ({ lc: 1, type: "constructor", id: [..., "AIMessage"], kwargs }). Accepted
// containers: a list, a state { messages }, a LangGraph checkpoint
// { channel_values: { messages } }, a CheckpointTuple { checkpoint } and a
// StateSnapshot { values: { messages } }. A type may be spelled as its class
// (HumanMessage, and AIMessageChunk as Python dumps a chunk) or as the
// aliases LangChain reads (user, assistant, developer), in any case; any other
// type is an error.
// The speaker of an AI message is `name`, else "ai"; of a ChatMessage its
// `role`; human and system messages are context. A RemoveMessage removes the
// message with its id (REMOVE_ALL_MESSAGES clears the list). A ToolMessage
// (and an Anthropic tool_result block) joins the turn of the agent that made
// the call with its tool_call_id; tool calls are spelled out once even when
// both a tool_use block and `tool_calls` hold them. `invalid_tool_calls`
// (arguments that did not parse) are spelled out too, marked with their error.
import { InputError } from '../../core/errors.js';
import { describe, misspelledName } from '../../core/validate.js';
import { callIdsIn, callText, invalidCallText, joinLines, textOf } from './content.js';
import { ADAPTER_OPTIONS, adapterOptions, CONTEXT_ROLES, episodeRecord, isRecord, judgeMarks, optionalString, type AdapterDefaults, type Turn } from './common.js';
import { Transcript } from './transcript.js';

/**
 * Message types by every name a serialization gives them: the type itself
 * (model_dump, messages_to_dict), the class name (dumpd's id, and the type
 * Python gives a chunk: "AIMessageChunk"), and @langchain/core's "generic"
 * for a ChatMessage (toDict). Keys in lower case: types match in any case.
 */
const MESSAGE_TYPES: ReadonlyMap<string, string> = new Map([
  ['human', 'human'], ['ai', 'ai'], ['system', 'system'], ['tool', 'tool'], ['function', 'function'], ['chat', 'chat'], ['generic', 'chat'], ['remove', 'remove'],
  ['humanmessage', 'human'], ['aimessage', 'ai'], ['systemmessage', 'system'], ['toolmessage', 'tool'], ['functionmessage', 'function'], ['chatmessage', 'chat'], ['removemessage', 'remove'],
  ['humanmessagechunk', 'human'], ['aimessagechunk', 'ai'], ['systemmessagechunk', 'system'], ['toolmessagechunk', 'tool'], ['functionmessagechunk', 'function'], ['chatmessagechunk', 'chat'],
  // The aliases langchain_core's convert_to_messages reads.
  ['user', 'human'], ['assistant', 'ai'], ['developer', 'system'],
]);

const TYPES = ['human', 'ai', 'system', 'tool', 'function', 'chat', 'remove'];
const TYPES_EXPECTED = 'a LangChain message type: human, ai, system, tool, function, chat or remove (or user, assistant, developer, generic, a class name such as AIMessage or AIMessageChunk, in any case)';

/** The message type (human, ai, system, tool, function, chat, remove) a serialized type or class name stands for; undefined when it is none. */
export function langChainType(type: string): string | undefined {
  return MESSAGE_TYPES.get(type.toLowerCase());
}

/** LangGraph's id for "remove every message so far". */
const REMOVE_ALL = '__remove_all__';

/** A message's fields, its type as serialized, and the path of the field that gives the type (for errors). */
function unwrap(message: Record<string, unknown>, at: string): { fields: Record<string, unknown>; type: unknown; typePath: string } {
  if (message.lc === 1) return unwrapSerialized(message, at);
  if (isRecord(message.data) && typeof message.type === 'string') return { fields: message.data, type: message.type, typePath: `${at}.type` };
  return { fields: message, type: message.type, typePath: `${at}.type` };
}

/** dumpd / JSON.stringify of a message: { lc: 1, type: "constructor", id: [..., class name], kwargs }. */
function unwrapSerialized(message: Record<string, unknown>, at: string): { fields: Record<string, unknown>; type: unknown; typePath: string } {
  // LangChain writes { lc: 1, type: "not_implemented", id, repr } for what it cannot serialize: there is no message to read.
  if (message.type !== 'constructor') {
    const what = message.type === 'not_implemented' ? `: LangChain could not serialize ${Array.isArray(message.id) ? message.id.join('.') : 'it'}` : '';
    throw new InputError([{ path: `${at}.type`, message: `expected "constructor" (a serialized message), got ${describe(message.type)}${what}` }]);
  }
  if (!isRecord(message.kwargs)) {
    throw new InputError([{ path: `${at}.kwargs`, message: `expected the message's fields { content, ... } in a LangChain constructor { lc: 1, type: "constructor", id, kwargs }, got ${describe(message.kwargs)}` }]);
  }
  if (message.kwargs.type !== undefined) return { fields: message.kwargs, type: message.kwargs.type, typePath: `${at}.kwargs.type` };
  return { fields: message.kwargs, type: Array.isArray(message.id) ? message.id[message.id.length - 1] : undefined, typePath: `${at}.id` };
}

/**
 * The message type of a message: its serialized type read through
 * {@link MESSAGE_TYPES}; a message with a name but no type is an AI message.
 * Any other type is an error: a misspelled "humman" would otherwise become a
 * player, and a human message a speaker of the game.
 */
function messageType(type: unknown, fields: Record<string, unknown>, path: string): string {
  const absent = type === undefined || type === null || type === '';
  if (absent && optionalString(fields.name)) return 'ai';
  const known = typeof type === 'string' ? langChainType(type) : undefined;
  if (known) return known;
  const near = typeof type === 'string' ? misspelledName(type, TYPES) : undefined;
  throw new InputError([{ path, message: `expected ${TYPES_EXPECTED}${absent ? ', or a name (an AI message)' : ''}, got ${describe(type)}${near ? ` (did you mean ${near}?)` : ''}` }]);
}

/** The name shown for an invalid tool call that has none (LangChain's InvalidToolCall may lack every field). */
const UNNAMED = '(unnamed)';

interface Call {
  name: string;
  id?: string;
  text: string;
  invalid: boolean;
}

/** A list field of a message; null (what SDKs dump for none) is empty, anything else that is not a list an error (it would lose the calls without a word). */
function listField(fields: Record<string, unknown>, key: string, path: string, expected: string): unknown[] {
  const value = fields[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new InputError([{ path: `${path}.${key}`, message: `expected an array of ${expected} (or null), got ${describe(value)}` }]);
  return value;
}

/** A message's tool calls, valid (`tool_calls`) and invalid (`invalid_tool_calls`), as they are spelled out. */
function callsOf(fields: Record<string, unknown>, path: string): Call[] {
  const valid = listField(fields, 'tool_calls', path, 'tool calls { name, args, id }').map((call, j) => {
    const name = isRecord(call) ? optionalString(call.name) : undefined;
    if (!isRecord(call) || name === undefined) throw new InputError([{ path: `${path}.tool_calls[${j}]`, message: `expected a tool call { name, args, id } with a name, got ${describe(call)}` }]);
    return { name, id: optionalString(call.id), text: callText(name, call.args ?? {}), invalid: false };
  });
  // An invalid call may lack every field (LangChain's InvalidToolCall): it is shown all the same.
  const invalid = listField(fields, 'invalid_tool_calls', path, 'invalid tool calls { name, args, id, error }').map((call, j) => {
    if (!isRecord(call)) throw new InputError([{ path: `${path}.invalid_tool_calls[${j}]`, message: `expected an invalid tool call { name, args, id, error }, got ${describe(call)}` }]);
    const name = optionalString(call.name) ?? UNNAMED;
    return { name, id: optionalString(call.id), text: invalidCallText(name, call.args, optionalString(call.error)), invalid: true };
  });
  return [...valid, ...invalid];
}

/** The message list of any accepted container, and the path to it (for errors). */
function messagesOf(record: unknown): { list: unknown[]; path: string } {
  if (Array.isArray(record)) return { list: record, path: 'messages' };
  if (isRecord(record)) {
    if (Array.isArray(record.messages)) return { list: record.messages, path: 'messages' };
    const checkpoint = isRecord(record.checkpoint) ? record.checkpoint : record;
    for (const [key, holder] of [['channel_values', checkpoint.channel_values], ['values', record.values]] as const) {
      if (isRecord(holder) && Array.isArray(holder.messages)) return { list: holder.messages, path: `${checkpoint === record ? '' : 'checkpoint.'}${key}.messages` };
    }
  }
  throw new InputError(`expected LangChain messages: a list, { messages }, a LangGraph checkpoint { channel_values: { messages } } or a state snapshot { values: { messages } }; got ${describe(record)}`);
}

interface Parsed {
  path: string;
  type: string;
  fields: Record<string, unknown>;
  marks: Record<string, unknown>;
}

/** The messages after every RemoveMessage has been applied, as LangGraph's add_messages reducer would. */
function applyRemovals(list: unknown[], path: string): Parsed[] {
  let kept: Parsed[] = [];
  list.forEach((message, i) => {
    const at = `${path}[${i}]`;
    if (!isRecord(message)) throw new InputError([{ path: at, message: `expected a LangChain message object { type, content }, got ${describe(message)}` }]);
    const { fields, type, typePath } = unwrap(message, at);
    const name = messageType(type, fields, typePath);
    if (name === 'remove') {
      const id = optionalString(fields.id);
      if (id === REMOVE_ALL) kept = [];
      else {
        const before = kept.length;
        kept = kept.filter((item) => item.fields.id !== id);
        if (kept.length === before) throw new InputError([{ path: `${at}.id`, message: `RemoveMessage for ${describe(fields.id)}: no earlier message has that id` }]);
      }
      return;
    }
    kept.push({ path: at, type: name, fields, marks: { ...judgeMarks(message), ...judgeMarks(fields) } });
  });
  return kept;
}

/** An episode v1 record from LangChain messages, a LangGraph state, checkpoint or snapshot. */
export function fromLangChain(record: unknown, given: AdapterDefaults | null = {}): Record<string, unknown> {
  const defaults = adapterOptions(given, ADAPTER_OPTIONS);
  const { list, path } = messagesOf(record);
  const transcript = new Transcript();
  for (const { path: at, type, fields, marks } of applyRemovals(list, path)) {
    const content = fields.content;
    if (type === 'tool' && transcript.result(optionalString(fields.tool_call_id), textOf(content, `${at}.content`, defaults), optionalString(fields.name))) continue;
    if (type === 'function' && typeof fields.name === 'string' && transcript.resultByName(fields.name, textOf(content, `${at}.content`, defaults))) continue;
    // Anthropic tool_result blocks (in a human message) answer earlier tool_use blocks.
    const parts = Array.isArray(content)
      ? content.filter((part) => !(isRecord(part) && part.type === 'tool_result' && transcript.result(optionalString(part.tool_use_id), textOf(part.content, `${at}.content`, defaults))))
      : content;
    if (Array.isArray(content) && Array.isArray(parts) && parts.length === 0 && content.length > 0) continue;
    const spelled = callIdsIn(parts);
    const calls = callsOf(fields, at);
    const inContent = (call: Call) => call.id !== undefined && spelled.has(call.id);
    // An invalid call shows even when a content block spells it too: only here is it marked invalid, with its error.
    const shown = calls.filter((call) => call.invalid || !inContent(call));
    const text = joinLines(textOf(parts, `${at}.content`, defaults), ...shown.map((call) => call.text));
    const role = type === 'chat' ? optionalString(fields.role) ?? 'chat' : type;
    const speaker = optionalString(fields.name) ?? role;
    const turn: Turn = { agent: speaker, content: text, id: optionalString(fields.id), ...marks };
    if (CONTEXT_ROLES.has(role)) turn.context = true;
    const index = transcript.add(turn);
    if (Array.isArray(parts)) for (const part of parts) if (isRecord(part) && (part.type === 'tool_use' || part.type === 'tool_call')) transcript.call(index, String(part.name), optionalString(part.id));
    for (const call of calls) if (!inContent(call)) transcript.call(index, call.name, call.id);
  }
  return episodeRecord(transcript.turns, isRecord(record) ? { ...record, id: record.id ?? threadId(record) } : {}, defaults, Array.isArray(record) ? 'messages' : undefined);
}

/** The thread a CheckpointTuple or StateSnapshot belongs to (config.configurable.thread_id), else the checkpoint's own id. */
function threadId(record: Record<string, unknown>): unknown {
  const configurable = isRecord(record.config) && isRecord(record.config.configurable) ? record.config.configurable : {};
  return configurable.thread_id ?? (isRecord(record.checkpoint) ? record.checkpoint.id : undefined);
}
