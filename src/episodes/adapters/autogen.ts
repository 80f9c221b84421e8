// AutoGen AgentChat (0.4+) TaskResult: { messages: [{ source, content, type, ... }], stop_reason }.
// The agent is `source`; tool-call events carry lists of FunctionCall or
// FunctionExecutionResult, spelled out as text.
import { InputError } from '../../core/errors.js';
import { annotations, episodeRecord, isRecord, messageList, optionalString, stringField, textOf, type AdapterDefaults } from './common.js';

/** An episode v1 record from a TaskResult (or its `messages` list), episode fields beside it. */
export function fromAutoGen(record: unknown, defaults: AdapterDefaults = {}): Record<string, unknown> {
  const { list } = messageList(record, ['messages'], 'AutoGen TaskResult');
  const turns = list.map((message, i) => {
    const path = `messages[${i}]`;
    if (!isRecord(message)) throw new InputError([{ path, message: 'expected an AgentChat message object { source, content, type }' }]);
    return { agent: stringField(message, 'source', path), content: textOf(message.content, `${path}.content`), id: optionalString(message.id), ...annotations(message) };
  });
  const task = typeof defaults.task === 'string' ? defaults.task : firstUserText(list);
  return episodeRecord(turns, record, { ...defaults, task });
}

function firstUserText(list: unknown[]): string | undefined {
  const first = list[0];
  return isRecord(first) && first.source === 'user' && typeof first.content === 'string' ? first.content : undefined;
}
