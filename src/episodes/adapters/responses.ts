// OpenAI Responses API items and OpenAI Agents SDK run items: message,
// function_call, function_call_output (function_call_result in the SDK),
// reasoning, hosted tool calls, and handoffs. Run items ({ type, rawItem,
// agent }, as RunResult.newItems serialize) name their agent; plain items
// (RunResult.history, a Response's output) do not, so their assistant turns
// belong to `agent` (default "assistant") until a handoff names the next one.
// A tool call and its output belong to the turn of the agent that made the
// call; the agent changes at a handoff.
import { InputError } from '../../core/errors.js';
import { describe } from '../../core/validate.js';
import { callText, mediaPlaceholder, reasoningText, resultText, textOf } from './content.js';
import { ADAPTER_OPTIONS, adapterOptions, CONTEXT_ROLES, episodeRecord, isRecord, judgeMarks, optionalString, type AdapterDefaults, type Turn } from './common.js';
import { Transcript } from './transcript.js';
import { terminalText } from '../../core/terminal-text.js';

/** Options of fromOpenAIResponses. */
export interface ResponsesOptions extends AdapterDefaults {
  /** The agent of assistant items that carry no agent name (plain Responses items, SDK history before the first handoff). Default "assistant". */
  agent?: string;
}

/** The option names fromOpenAIResponses takes. */
export const RESPONSES_OPTIONS = [...ADAPTER_OPTIONS, 'agent'];

const SKIPPED = new Set(['item_reference', 'compaction', 'tool_approval_item', 'mcp_list_tools', 'mcp_approval_request', 'mcp_approval_response', 'tool_search_output']);

/** A run's input as items: a string is the user's message. */
function inputItems(input: unknown): unknown[] {
  return typeof input === 'string' ? [{ type: 'message', role: 'user', content: input }] : Array.isArray(input) ? input : [];
}

/** The items of any accepted container, with the path to them. */
function itemsOf(record: unknown): { items: unknown[]; path: string } {
  if (Array.isArray(record)) return { items: record, path: 'items' };
  if (isRecord(record)) {
    // A run saved whole: JSON.stringify(result) is { state }, and the SDK's RunState
    // (result.state.toString(), what resumes a run) holds originalInput and generatedItems.
    if (isRecord(record.state) && Array.isArray(record.state.generatedItems)) return itemsOf(record.state);
    if (Array.isArray(record.generatedItems)) return { items: [...inputItems(record.originalInput), ...record.generatedItems], path: 'generatedItems' };
    const input = inputItems(record.input);
    if (Array.isArray(record.newItems)) {
      const prefix = input.length > 0 || !Array.isArray(record.history) ? input : record.history.slice(0, Math.max(0, record.history.length - record.newItems.length));
      return { items: [...prefix, ...record.newItems], path: 'newItems' };
    }
    for (const key of ['items', 'history']) if (Array.isArray(record[key])) return { items: record[key] as unknown[], path: key };
    if (Array.isArray(record.output)) return { items: [...input, ...record.output], path: 'output' };
  }
  const keys = isRecord(record) ? ` with keys ${Object.keys(record).slice(0, 8).map(terminalText).join(', ') || '(none)'}` : '';
  throw new InputError(`expected Responses / Agents SDK items: a list, { items }, { history }, { newItems }, a Response { output } or a saved run ({ state } or a RunState { originalInput, generatedItems }); got ${describe(record)}${keys}`);
}

/** The handoff target an SDK transfer output names ({"assistant":"weather_agent"}), if it is one. */
function handoffTarget(output: string): string | undefined {
  if (!output.startsWith('{')) return undefined;
  try {
    const parsed: unknown = JSON.parse(output);
    return isRecord(parsed) && Object.keys(parsed).length === 1 ? optionalString(parsed.assistant) : undefined;
  } catch {
    return undefined;
  }
}

const callIdOf = (raw: Record<string, unknown>) => optionalString(raw.call_id) ?? optionalString(raw.callId);

/** An episode v1 record from Responses API / Agents SDK items, episode fields beside them. */
export function fromOpenAIResponses(record: unknown, given: ResponsesOptions | null = {}): Record<string, unknown> {
  const options = adapterOptions(given, RESPONSES_OPTIONS);
  const { items, path } = itemsOf(record);
  const transcript = new Transcript();
  let current = options.agent ?? 'assistant';
  let task: string | undefined;
  /** The current agent's open turn, or a new one. */
  const agentTurn = (marks: Record<string, unknown> = {}, id?: string): number => {
    // lastOf gives the last turn, whose index is known: a search of the turns per item was quadratic in long runs.
    if (transcript.lastOf(current)) return transcript.turns.length - 1;
    return transcript.add({ agent: current, content: '', id, ...judgeMarks(marks) });
  };
  items.forEach((item, i) => {
    const at = `${path}[${i}]`;
    if (!isRecord(item)) throw new InputError([{ path: at, message: `expected a Responses item object { type, ... }, got ${describe(item)}` }]);
    const raw = isRecord(item.rawItem) ? item.rawItem : item;
    const kind = optionalString(item.type) ?? (raw.role ? 'message' : '');
    const named = isRecord(item.agent) ? optionalString(item.agent.name) : isRecord(item.sourceAgent) ? optionalString(item.sourceAgent.name) : undefined;
    if (named) current = named;
    const type = optionalString(raw.type) ?? (raw.role ? 'message' : '');
    if (SKIPPED.has(kind) || SKIPPED.has(type)) return;
    if (type === 'message') {
      const role = optionalString(raw.role) ?? 'assistant';
      const content = textOf(raw.content, `${at}.content`, options);
      if (role !== 'assistant') {
        const turn: Turn = { agent: optionalString(raw.name) ?? role, content, id: optionalString(raw.id), ...judgeMarks(item) };
        if (CONTEXT_ROLES.has(role)) turn.context = true;
        if (role === 'user' && task === undefined) task = content;
        transcript.add(turn);
        return;
      }
      const turn = transcript.turns[agentTurn(item, optionalString(raw.id))];
      transcript.append(turn, content);
      Object.assign(turn, { ...judgeMarks(item), ...judgeMarks(turn as unknown as Record<string, unknown>) });
      return;
    }
    if (type === 'reasoning') {
      if (!options.includeReasoning) return;
      const text = textOf([...(Array.isArray(raw.summary) ? raw.summary : []), ...(Array.isArray(raw.content) ? raw.content : [])], `${at}.summary`, {});
      if (text !== '') transcript.append(transcript.turns[agentTurn()], reasoningText(text));
      return;
    }
    if (type === 'function_call_output' || type === 'function_call_result' || type.endsWith('_call_output') || type.endsWith('_call_result')) {
      const output = textOf(raw.output, `${at}.output`, options);
      const target = kind === 'handoff_output_item' && isRecord(item.targetAgent) ? optionalString(item.targetAgent.name) : handoffTarget(output);
      const id = callIdOf(raw);
      // A handoff: the caller's turn says so and the next agent speaks (also when the items start after the call).
      if (target && (transcript.isOpen(id) || kind === 'handoff_output_item')) {
        if (transcript.isOpen(id)) transcript.append(transcript.turns[agentTurn()], `[handoff to ${target}]`);
        current = target;
        return;
      }
      if (!transcript.result(id, output, optionalString(raw.name))) transcript.add({ agent: optionalString(raw.name) ?? 'tool', content: resultText(optionalString(raw.name), output), context: true });
      return;
    }
    if (type === 'function_call' || type.endsWith('_call')) {
      const name = optionalString(raw.name) ?? type.replace(/_call$/, '');
      const args = raw.arguments ?? raw.action ?? raw.input ?? raw.code ?? raw.query;
      const index = agentTurn(item);
      transcript.append(transcript.turns[index], callText(name, args));
      transcript.call(index, name, callIdOf(raw) ?? optionalString(raw.id));
      if (typeof raw.output === 'string') transcript.append(transcript.turns[index], resultText(name, raw.output));
      else if (type === 'image_generation_call' && typeof raw.result === 'string') transcript.append(transcript.turns[index], resultText(name, mediaPlaceholder('image', { data: raw.result })));
      return;
    }
    throw new InputError([{ path: `${at}.type`, message: `unknown Responses item type ${describe(raw.type ?? item.type)}; expected message, function_call, function_call_output, reasoning, a hosted *_call or an Agents SDK run item` }]);
  });
  const turns = transcript.turns.filter((turn) => turn.content !== '' || turn.context);
  // A saved RunState has a `context` of its own (usage, approvals): not the episode's list of context speakers.
  const beside = isRecord(record) && path === 'generatedItems' && !Array.isArray(record.context) ? { ...record, context: undefined } : isRecord(record) ? record : {};
  return episodeRecord(turns, beside, { ...options, task: options.task ?? task }, Array.isArray(record) ? 'items' : undefined);
}

/** The Responses items a record holds, for format detection (the same containers fromOpenAIResponses reads). */
export function responsesItems(record: unknown): unknown[] | undefined {
  try {
    return itemsOf(record).items;
  } catch {
    return undefined;
  }
}
