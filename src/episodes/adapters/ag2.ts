// AG2 / AutoGen (0.2) GroupChat messages: `groupchat.messages` or a
// ChatResult's `chat_history`, each { content, role, name }. The speaking
// agent is `name` (role is only user/assistant from the receiver's view), so
// every named speaker is a player unless `agents` says otherwise; a tool
// response linked to its call by tool_call_id joins the caller's turn.
import { ADAPTER_OPTIONS, adapterOptions, episodeRecord, messageList, type AdapterDefaults } from './common.js';
import { chatTurns } from './openai.js';

/** An episode v1 record from a GroupChat message list (`messages` or `chat_history`). */
export function fromAG2(record: unknown, given: AdapterDefaults | null = {}): Record<string, unknown> {
  const defaults = adapterOptions(given, ADAPTER_OPTIONS);
  const { list, key } = messageList(record, ['messages', 'chat_history'], 'AG2 GroupChat');
  return episodeRecord(chatTurns(list, key || 'messages', defaults, 'ag2'), record, defaults, Array.isArray(record) ? 'messages' : undefined);
}
