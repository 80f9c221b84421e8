// OpenAI chat messages ({ role, content, name?, tool_calls?, tool_call_id? }).
// The speaker is `name` when present, else `role`; system, developer and user
// turns are context. A `tool` message linked by tool_call_id (and a legacy
// `function` message linked by name) joins the turn of the agent that made
// the call. Content may be a string, null (a pure tool call or a refusal) or
// a list of parts.
import { InputError } from '../../core/errors.js';
import { describe } from '../../core/validate.js';
import { callText, joinLines, mediaPlaceholder, textOf, type ContentOptions } from './content.js';
import { ADAPTER_OPTIONS, adapterOptions, CONTEXT_ROLES, episodeRecord, isRecord, judgeMarks, messageList, optionalString, type AdapterDefaults, type Turn } from './common.js';
import { Transcript } from './transcript.js';

/** How a chat format names its speakers: OpenAI by role (name optional), AG2 by name (roles are the receiver's view). */
export type ChatDialect = 'openai' | 'ag2';

interface Call {
  id?: string;
  name: string;
  args: unknown;
}

function callsOf(message: Record<string, unknown>, path: string): Call[] {
  const calls: Call[] = [];
  // null is what SDKs dump for a message without calls; anything else that is not a list would lose the calls without a word.
  if (message.tool_calls !== undefined && message.tool_calls !== null && !Array.isArray(message.tool_calls)) {
    throw new InputError([{ path: `${path}.tool_calls`, message: `expected an array of tool calls { id, function: { name, arguments } } (or null), got ${describe(message.tool_calls)}` }]);
  }
  if (message.function_call !== undefined && message.function_call !== null && !(isRecord(message.function_call) && typeof message.function_call.name === 'string')) {
    throw new InputError([{ path: `${path}.function_call`, message: `expected a function call { name, arguments } (or null), got ${describe(message.function_call)}` }]);
  }
  if (Array.isArray(message.tool_calls)) {
    message.tool_calls.forEach((call, j) => {
      const fn = isRecord(call) && isRecord(call.function) ? call.function : call;
      if (!isRecord(fn) || typeof fn.name !== 'string') throw new InputError([{ path: `${path}.tool_calls[${j}]`, message: `expected a tool call { id, function: { name, arguments } }, got ${describe(call)}` }]);
      calls.push({ id: isRecord(call) ? optionalString(call.id) : undefined, name: fn.name, args: fn.arguments ?? fn.args });
    });
  }
  if (isRecord(message.function_call) && typeof message.function_call.name === 'string') {
    calls.push({ name: message.function_call.name, args: message.function_call.arguments });
  }
  return calls;
}

/** The text of a message's own content: parts, a refusal beside null content, an audio reply's transcript. */
function messageText(message: Record<string, unknown>, path: string, options: ContentOptions): string {
  const audio = isRecord(message.audio) ? mediaPlaceholder('audio', { id: message.audio.id }).slice(0, -1) + (typeof message.audio.transcript === 'string' ? `: "${message.audio.transcript}"]` : ']') : undefined;
  const refusal = typeof message.refusal === 'string' && message.refusal !== '' ? `[refusal] ${message.refusal}` : undefined;
  return joinLines(textOf(message.content, `${path}.content`, options), refusal, audio);
}

/** The turns of a chat message list, tool results attached to their callers. */
export function chatTurns(list: unknown[], prefix: string, options: ContentOptions, dialect: ChatDialect = 'openai'): Turn[] {
  const transcript = new Transcript();
  list.forEach((message, i) => {
    const path = `${prefix}[${i}]`;
    if (!isRecord(message)) throw new InputError([{ path, message: `expected a chat message object { role, content }, got ${describe(message)}` }]);
    const name = optionalString(message.name);
    const role = optionalString(message.role);
    if (!role && !(dialect === 'ag2' && name)) throw new InputError([{ path: `${path}.role`, message: `expected a non-empty string, got ${describe(message.role)}` }]);
    const text = messageText(message, path, options);
    if (role === 'tool' && transcript.result(optionalString(message.tool_call_id), text)) return;
    if (role === 'function' && name && transcript.resultByName(name, text)) return;
    if (Array.isArray(message.tool_responses)) {
      // AG2: the executor's reply carries each result with the id of its call.
      const unlinked = message.tool_responses.filter((response) => !(isRecord(response) && transcript.result(optionalString(response.tool_call_id), textOf(response.content, `${path}.tool_responses`, options))));
      if (unlinked.length === 0) return;
    }
    const calls = callsOf(message, path);
    const speaker = name ?? role!;
    const context = dialect === 'openai' ? CONTEXT_ROLES.has(role!) : role === 'system' || (!name && CONTEXT_ROLES.has(role!));
    const turn: Turn = { agent: speaker, content: joinLines(text, ...calls.map((call) => callText(call.name, call.args))), id: optionalString(message.id), ...judgeMarks(message) };
    if (context) turn.context = true;
    const index = transcript.add(turn);
    for (const call of calls) transcript.call(index, call.name, call.id);
  });
  return transcript.turns;
}

/**
 * An episode v1 record from OpenAI chat messages: an array, or an object with
 * `messages` and the episode fields (id, task, agents, outcome, coalitions,
 * repairs) beside it.
 */
export function fromOpenAI(record: unknown, given: AdapterDefaults | null = {}): Record<string, unknown> {
  const defaults = adapterOptions(given, ADAPTER_OPTIONS);
  const { list, key } = messageList(record, ['messages'], 'OpenAI chat');
  return episodeRecord(chatTurns(list, key || 'messages', defaults), record, defaults, Array.isArray(record) ? 'messages' : undefined);
}
