// LangChain / LangGraph messages. Accepted serializations: the plain form
// ({ type, content, name, id, ... } from model_dump), messages_to_dict
// ({ type, data: {...} }) and dumpd ({ lc: 1, type: "constructor", id: [..., "AIMessage"], kwargs }).
// A LangGraph state is { messages: [...] }. The agent is `name`, else `type`.
import { InputError } from '../../core/errors.js';
import { annotations, episodeRecord, isRecord, messageList, optionalString, textOf, type AdapterDefaults } from './common.js';
import { describe } from '../../core/validate.js';

const CLASS_TYPES: Record<string, string> = {
  HumanMessage: 'human', AIMessage: 'ai', SystemMessage: 'system', ToolMessage: 'tool', FunctionMessage: 'function', ChatMessage: 'chat',
  HumanMessageChunk: 'human', AIMessageChunk: 'ai',
};

function unwrap(message: Record<string, unknown>): { fields: Record<string, unknown>; type: unknown } {
  if (message.lc === 1 && message.type === 'constructor' && isRecord(message.kwargs)) {
    const className = Array.isArray(message.id) ? String(message.id[message.id.length - 1]) : '';
    return { fields: message.kwargs, type: message.kwargs.type ?? CLASS_TYPES[className] };
  }
  if (isRecord(message.data)) return { fields: message.data, type: message.type };
  return { fields: message, type: message.type };
}

/** An episode v1 record from LangChain messages or a LangGraph state `{ messages }`. */
export function fromLangChain(record: unknown, defaults: AdapterDefaults = {}): Record<string, unknown> {
  const { list } = messageList(record, ['messages'], 'LangChain');
  const turns = list.map((message, i) => {
    const path = `messages[${i}]`;
    if (!isRecord(message)) throw new InputError([{ path, message: 'expected a LangChain message object { type, content }' }]);
    const { fields, type } = unwrap(message);
    const agent = optionalString(fields.name) ?? optionalString(type);
    if (!agent) throw new InputError([{ path: `${path}.type`, message: `expected a message type (human, ai, tool, system) or a name, got ${describe(type)}` }]);
    let content = textOf(fields.content, `${path}.content`);
    if (Array.isArray(fields.tool_calls) && fields.tool_calls.length > 0) {
      content = [content, textOf(fields.tool_calls.map((call) => (isRecord(call) ? { name: call.name, arguments: JSON.stringify(call.args ?? {}) } : call)), `${path}.tool_calls`)].filter((part) => part !== '').join('\n');
    }
    return { agent, content, id: optionalString(fields.id), ...annotations(message), ...annotations(fields) };
  });
  return episodeRecord(turns, record, defaults);
}
