// AutoGen AgentChat (0.4+) TaskResult: { messages: [{ source, content, type, ... }], stop_reason }.
// The agent is `source` (`user` is context). A ToolCallRequestEvent's calls
// are spelled out in its agent's turn; the ToolCallExecutionEvent results
// join that turn by call_id, and the ToolCallSummaryMessage that repeats them
// adds only its marks. Streaming chunks repeat the final message and are skipped.
import { InputError } from '../../core/errors.js';
import { describe } from '../../core/validate.js';
import { callText, joinLines, mediaPlaceholder, reasoningText, textOf, type ContentOptions } from './content.js';
import { ADAPTER_OPTIONS, adapterOptions, CONTEXT_ROLES, episodeRecord, isRecord, judgeMarks, messageList, optionalString, stringField, type AdapterDefaults, type Turn } from './common.js';
import { Transcript } from './transcript.js';

/** AgentChat content: a string, or a list of strings, images ({ data }) and FunctionCall / FunctionExecutionResult objects. */
function partsText(content: unknown, path: string, options: ContentOptions): string {
  if (!Array.isArray(content)) return textOf(content, path, options);
  return joinLines(...content.map((part, j) => (isRecord(part) && typeof part.data === 'string' && part.type === undefined ? mediaPlaceholder('image', { data: part.data }) : textOf(part, `${path}[${j}]`, options))));
}

function addTurn(transcript: Transcript, message: Record<string, unknown>, agent: string, content: string): number {
  const turn: Turn = { agent, content, id: optionalString(message.id), ...judgeMarks(message) };
  if (CONTEXT_ROLES.has(agent)) turn.context = true;
  return transcript.add(turn);
}

/** An episode v1 record from a TaskResult (or its `messages` list), episode fields beside it. */
export function fromAutoGen(record: unknown, given: AdapterDefaults | null = {}): Record<string, unknown> {
  const defaults = adapterOptions(given, ADAPTER_OPTIONS);
  const { list } = messageList(record, ['messages'], 'AutoGen TaskResult');
  const transcript = new Transcript();
  list.forEach((message, i) => {
    const path = `messages[${i}]`;
    if (!isRecord(message)) throw new InputError([{ path, message: `expected an AgentChat message object { source, content, type }, got ${describe(message)}` }]);
    const agent = stringField(message, 'source', path);
    const type = typeof message.type === 'string' ? message.type : 'TextMessage';
    if (type === 'ModelClientStreamingChunkEvent') return;
    if (type === 'ToolCallRequestEvent' && Array.isArray(message.content)) {
      const calls = message.content.filter(isRecord);
      const text = joinLines(...calls.map((call) => callText(String(call.name), call.arguments)));
      // The last turn's index is known: a search of the turns per call was quadratic in long runs.
      const index = transcript.lastOf(agent) ? transcript.turns.length - 1 : addTurn(transcript, message, agent, '');
      transcript.append(transcript.turns[index], text);
      for (const call of calls) transcript.call(index, String(call.name), optionalString(call.id));
      return;
    }
    if (type === 'ToolCallExecutionEvent' && Array.isArray(message.content)) {
      const unlinked = message.content.filter((result, j) => !(isRecord(result) && transcript.result(optionalString(result.call_id), textOf(result.content, `${path}.content[${j}].content`, defaults), optionalString(result.name))));
      if (unlinked.length > 0) addTurn(transcript, message, agent, partsText(unlinked, `${path}.content`, defaults));
      return;
    }
    const last = transcript.lastOf(agent);
    if (type === 'ToolCallSummaryMessage' && last) {
      // The summary repeats the results already attached to this turn; keep only its marks.
      Object.assign(last, { ...judgeMarks(message), ...judgeMarks(last as unknown as Record<string, unknown>) });
      return;
    }
    if (type === 'ThoughtEvent') {
      if (!defaults.includeReasoning) return;
      const text = reasoningText(textOf(message.content, `${path}.content`, defaults));
      if (last) transcript.append(last, text);
      else addTurn(transcript, message, agent, text);
      return;
    }
    const content = partsText(message.content, `${path}.content`, defaults);
    if (content === '' && type.endsWith('Event')) return;
    addTurn(transcript, message, agent, content);
  });
  const task = typeof defaults.task === 'string' ? defaults.task : firstUserText(list);
  return episodeRecord(transcript.turns, record, { ...defaults, task }, Array.isArray(record) ? 'messages' : undefined);
}

function firstUserText(list: unknown[]): string | undefined {
  const first = list[0];
  return isRecord(first) && first.source === 'user' && typeof first.content === 'string' ? first.content : undefined;
}
