// OpenAI chat messages ({ role, content, name?, tool_calls? }): the agent is
// `name` when present, else `role`. Content may be a string, null (a pure tool
// call) or a list of parts.
import { isRecord } from './common.js';
import { annotations, episodeRecord, messageList, optionalString, stringField, textOf, type AdapterDefaults, type Turn } from './common.js';
import { InputError } from '../../core/errors.js';

export function chatTurns(list: unknown[], prefix: string): Turn[] {
  return list.map((message, i) => {
    const path = `${prefix}[${i}]`;
    if (!isRecord(message)) throw new InputError([{ path, message: 'expected a chat message object { role, content }' }]);
    const agent = optionalString(message.name) ?? stringField(message, 'role', path);
    let content = textOf(message.content, `${path}.content`);
    if (Array.isArray(message.tool_calls) && message.tool_calls.length > 0) {
      content = [content, textOf(message.tool_calls, `${path}.tool_calls`)].filter((part) => part !== '').join('\n');
    } else if (isRecord(message.function_call)) {
      content = [content, textOf(message.function_call, `${path}.function_call`)].filter((part) => part !== '').join('\n');
    }
    return { agent, content, id: optionalString(message.id), ...annotations(message) };
  });
}

/**
 * An episode v1 record from OpenAI chat messages: an array, or an object with
 * `messages` and the episode fields (id, task, outcome, coalitions, repairs) beside it.
 */
export function fromOpenAI(record: unknown, defaults: AdapterDefaults = {}): Record<string, unknown> {
  const { list, key } = messageList(record, ['messages'], 'OpenAI chat');
  return episodeRecord(chatTurns(list, key || 'messages'), record, defaults);
}
