import { AIMessage, ChatMessage, HumanMessage, mapChatMessagesToStoredMessages, ToolMessage } from '@langchain/core/messages';
import { describe, expect, it } from 'vitest';
import { fromLangChain } from '../../src/episodes/adapters/langchain.js';
import { attributeEpisode } from '../../src/episodes/attribute.js';
import { parseEpisode } from '../../src/episodes/episode.js';
import { toDpo } from '../../src/episodes/export.js';
import { readJson } from '../support/fixtures.js';
import { langGraphCheckpoint } from '../support/ecosystems.js';

describe('LangChain / LangGraph adapter', () => {
  it('reads a LangGraph state: agent = name, else type; the ToolMessage joins its caller; message ids kept', () => {
    const episode = parseEpisode(fromLangChain(readJson('test/fixtures/langgraph-state.json')));
    expect(episode.messages.map((message) => message.agent)).toEqual(['human', 'supervisor', 'research_expert', 'math_expert', 'supervisor']);
    expect(episode.agents).toEqual(['supervisor', 'research_expert', 'math_expert']);
    expect(episode.context).toEqual(['human']);
    expect(episode.messages[1].content).toBe('transfer_to_research_expert({})\n[transfer_to_research_expert result] Successfully transferred to research_expert');
    expect(episode.messages[2]).toMatchObject({ id: 'run-02', label: 'error', score: -0.6 });
  });

  it('turns the repair of the first error into a DPO pair carrying agent names', async () => {
    const signals = await attributeEpisode(fromLangChain(readJson('test/fixtures/langgraph-state.json')));
    expect(signals.firstError).toMatchObject({ id: 'run-02', index: 2, agent: 'research_expert' });
    const [pair] = toDpo(signals);
    expect(pair.agent).toBe('research_expert');
    expect(pair.chosen).toEqual([{ role: 'assistant', name: 'research_expert', content: expect.stringMatching(/^Headcounts 2024 \(10-K filings\)/) }]);
    expect(pair.rejected[0].content).toMatch(/^Headcounts 2024: Meta 67,317/);
    // The research expert's view: the human's question and the supervisor's turn with its tool result, as one user turn.
    const seen = pair.prompt.map((turn) => turn.content).join('\n');
    expect(seen).toMatch(/\[human\] What's the combined headcount/);
    expect(seen).toMatch(/\[supervisor\] transfer_to_research_expert\(\{\}\)\n\[transfer_to_research_expert result\] Successfully transferred/);
  });

  it('reads messages_to_dict ({ type, data }) and dumpd ({ lc, kwargs }) serializations', () => {
    const dict = parseEpisode(fromLangChain(readJson('test/fixtures/langchain-messages-to-dict.json')));
    expect(dict.messages.map((message) => [message.agent, message.content])).toEqual([['human', 'What is the capital of Australia?'], ['ai', 'Canberra.']]);
    const dumpd = parseEpisode(fromLangChain(readJson('test/fixtures/langchain-dumpd.json')));
    expect(dumpd.messages.map((message) => message.agent)).toEqual(['human', 'converter', 'checker']);
  });
});

describe('LangGraph: a MemorySaver checkpoint after a run with @langchain/core fake chat models', () => {
  const outcome = { score: 1, success: true };

  it('reads channel_values.messages: tool message joins its caller, the tool call spelled once, ChatMessage.role speaks, thinking dropped', async () => {
    const { checkpoint } = await langGraphCheckpoint(false);
    expect(checkpoint.channel_values.messages.some((message: { kwargs: { id: string } }) => message.kwargs.id === 'draft-1')).toBe(false);
    const episode = parseEpisode(fromLangChain({ ...checkpoint, outcome }, { id: 'capital' }));
    expect(episode.agents).toEqual(['researcher', 'critic']);
    expect(episode.context).toEqual(['system', 'human']);
    expect(episode.messages.map((message) => [message.agent, message.content])).toEqual([
      ['system', 'Answer with one city.'],
      ['human', 'Capital of Australia?'],
      ['researcher', 'Let me search.\nsearch({"q":"capital of Australia"})\n[search result] Canberra is the capital of Australia (capital of Australia).'],
      ['researcher', 'Canberra.'],
      ['critic', 'Canberra is right; the Sydney draft was wrong.'],
    ]);
  });

  it('reasoning blocks rendered once with includeReasoning; a CheckpointTuple and a StateSnapshot read the same', async () => {
    const { checkpoint, tuple, snapshot } = await langGraphCheckpoint(false);
    const thinking = fromLangChain({ ...checkpoint, outcome }, { id: 'capital', includeReasoning: true }) as { messages: Array<{ content: string }> };
    expect(thinking.messages[2].content).toBe('[reasoning] Need to look it up.\nLet me search.\nsearch({"q":"capital of Australia"})\n[search result] Canberra is the capital of Australia (capital of Australia).');
    const plain = fromLangChain({ ...checkpoint, outcome });
    // A checkpoint is named by its own id, a tuple or snapshot by its thread.
    expect(plain.id).toBe(checkpoint.id);
    expect(fromLangChain({ ...tuple, outcome })).toEqual({ ...plain, id: 'capital' });
    expect(fromLangChain({ ...snapshot, outcome })).toEqual({ ...plain, id: 'capital' });
  });

  it('applies a RemoveMessage kept in the list by a graph with its own reducer', async () => {
    const { checkpoint } = await langGraphCheckpoint(true);
    const kinds = checkpoint.channel_values.messages.map((message: { id: string[] }) => message.id[message.id.length - 1]);
    expect(kinds).toContain('RemoveMessage');
    const episode = parseEpisode(fromLangChain({ ...checkpoint, outcome }, { id: 'capital' }));
    expect(episode.messages.some((message) => message.content === 'Sydney?')).toBe(false);
    expect(episode.messages.map((message) => message.agent)).toEqual(['system', 'human', 'researcher', 'researcher', 'critic']);
    const removeAll = { messages: [{ type: 'human', content: 'a' }, { type: 'remove', id: '__remove_all__' }, { type: 'ai', name: 'x', content: 'b' }], outcome };
    expect((fromLangChain(removeAll, { id: 'r' }) as { messages: unknown[] }).messages).toEqual([{ agent: 'x', content: 'b' }]);
    expect(() => fromLangChain({ messages: [{ type: 'remove', id: 'ghost' }], outcome })).toThrow(/messages\[0\]\.id: RemoveMessage for "ghost": no earlier message has that id/);
  });
});

describe('LangChain message types as every serialization spells them', () => {
  const outcome = { score: 1, success: true };
  const turns = (record: unknown) => (fromLangChain(record, { id: 't' }) as { agents: unknown; context?: unknown; messages: Array<{ agent: string; content: string }> });

  it('Python chunks (model_dump, messages_to_dict) read as their message types: the human is context, the ToolMessageChunk joins its call', () => {
    const messages = [
      { type: 'HumanMessageChunk', content: 'Book' },
      { type: 'AIMessageChunk', content: '', tool_calls: [{ name: 'search', args: {}, id: 'call_1' }] },
      { type: 'ToolMessageChunk', content: 'TP1', tool_call_id: 'call_1', name: 'search' },
      { type: 'SystemMessageChunk', content: 'Be brief.' },
      { type: 'ChatMessageChunk', role: 'critic', content: 'Fine.' },
    ];
    const expected = { agents: ['ai', 'critic'], context: ['human', 'system'], messages: [
      { agent: 'human', content: 'Book' }, { agent: 'ai', content: 'search({})\n[search result] TP1' }, { agent: 'system', content: 'Be brief.' }, { agent: 'critic', content: 'Fine.' },
    ] };
    expect(turns({ messages, outcome })).toMatchObject(expected);
    expect(turns({ messages: messages.map((message) => ({ type: message.type, data: message })), outcome })).toMatchObject(expected);
  });

  it('class names as type (HumanMessage, AIMessage), any case, and @langchain/core\'s "generic" for a ChatMessage read as their types', () => {
    const stored = mapChatMessagesToStoredMessages([new HumanMessage('q'), new ChatMessage({ content: 'from critic', role: 'critic' })]);
    expect(stored[1].type).toBe('generic');
    const record = { messages: [...stored, { type: 'AIMessage', content: 'x' }, { type: 'HumanMessage', content: 'thanks' }, { type: 'AI', name: 'bot', content: 'y' }], outcome };
    expect(turns(record)).toMatchObject({ agents: ['critic', 'ai', 'bot'], context: ['human'] });
    expect(turns(record).messages.map((message) => message.agent)).toEqual(['human', 'critic', 'ai', 'human', 'bot']);
  });

  it('the aliases LangChain itself reads (user, assistant, developer) are human, ai and system', () => {
    const record = { messages: [{ type: 'developer', content: 'Be brief.' }, { type: 'user', content: 'q' }, { type: 'assistant', content: 'a' }], outcome };
    expect(turns(record).messages.map((message) => message.agent)).toEqual(['system', 'human', 'ai']);
  });

  it('a type that is none of these is an error naming the field, the value and the types there are', () => {
    const valid = /expected a LangChain message type: human, ai, system, tool, function, chat or remove \(or user, assistant, developer, generic, a class name such as AIMessage or AIMessageChunk, in any case\)/;
    for (const [messages, path, value] of [
      [[{ type: 'ai', content: 'ok' }, { type: 'humman', content: 'y' }], 'messages\\[1\\]\\.type', '"humman"'],
      [[{ type: 'Aii', name: 'bot', content: 'x' }], 'messages\\[0\\]\\.type', '"Aii"'],
      [[{ type: 'mystery', data: { content: 'x' } }], 'messages\\[0\\]\\.type', '"mystery"'],
      [[{ lc: 1, type: 'constructor', id: ['langchain_core', 'messages', 'AIMessage'], kwargs: { content: 'x', type: 'robot' } }], 'messages\\[0\\]\\.kwargs\\.type', '"robot"'],
      [[{ lc: 1, type: 'constructor', id: ['my_app', 'Weird'], kwargs: { content: 'x' } }], 'messages\\[0\\]\\.id', '"Weird"'],
    ] as const) {
      expect(() => fromLangChain({ messages, outcome })).toThrow(new RegExp(`${path}: ${valid.source}, got ${value}`));
    }
    expect(() => fromLangChain({ messages: [{ type: 'humman', content: 'y' }], outcome })).toThrow(/got "humman" \(did you mean human\?\)/);
    expect(() => fromLangChain({ messages: [{ content: 'x' }], outcome })).toThrow(/messages\[0\]\.type: expected a LangChain message type: .*, or a name \(an AI message\), got undefined/);
  });

  it('a serialized object that is not a message (no kwargs, not_implemented) is an error, not a player named "constructor"', () => {
    expect(() => fromLangChain({ messages: [{ lc: 1, type: 'constructor', id: ['langchain_core', 'messages', 'AIMessage'] }], outcome }))
      .toThrow(/messages\[0\]\.kwargs: expected the message's fields \{ content, \.\.\. \} in a LangChain constructor \{ lc: 1, type: "constructor", id, kwargs \}, got undefined/);
    expect(() => fromLangChain({ messages: [{ type: 'ai', content: 'hi' }, { lc: 1, type: 'not_implemented', id: ['my_app', 'Weird'], repr: 'Weird()' }], outcome }))
      .toThrow(/messages\[1\]\.type: expected "constructor" \(a serialized message\), got "not_implemented": LangChain could not serialize my_app\.Weird/);
  });
});

describe('LangChain tool calls', () => {
  const outcome = { score: 0, success: false };
  const contents = (record: unknown) => (fromLangChain(record, { id: 't' }) as { messages: Array<{ agent: string; content: string }> }).messages.map((message) => [message.agent, message.content]);
  const error = 'Function publish arguments:\n\n{"title": "untermin\n\nare not valid JSON.';

  it('an invalid tool call (arguments that did not parse) is spelled out like a call, marked invalid with its error; a result for its id joins it', () => {
    const python = { type: 'ai', name: 'writer', content: '', tool_calls: [], invalid_tool_calls: [{ name: 'publish', args: '{"title": "untermin', id: 'call_bad', error, type: 'invalid_tool_call' }] };
    const answer = { type: 'tool', name: 'publish', tool_call_id: 'call_bad', content: 'Error: invalid arguments' };
    const expected = [['writer', `[invalid tool call] publish({"title": "untermin): ${error}\n[publish result] Error: invalid arguments`]];
    expect(contents({ messages: [python, answer], outcome })).toEqual(expected);
    // @langchain/core: the same call on an AIMessage, as JSON (dumpd) and as toDict.
    const js = [
      new AIMessage({ content: '', name: 'writer', invalid_tool_calls: [{ name: 'publish', args: '{"title": "untermin', id: 'call_bad', error, type: 'invalid_tool_call' }] }),
      new ToolMessage({ content: 'Error: invalid arguments', tool_call_id: 'call_bad', name: 'publish' }),
    ];
    expect(contents({ messages: JSON.parse(JSON.stringify(js)), outcome })).toEqual(expected);
    expect(contents({ messages: mapChatMessagesToStoredMessages(js), outcome })).toEqual(expected);
  });

  it('an invalid call without name, arguments or error (all optional in LangChain) still shows', () => {
    const record = { messages: [{ type: 'ai', name: 'writer', content: 'Publishing.', invalid_tool_calls: [{ name: null, args: null, id: null, error: null }] }], outcome };
    expect(contents(record)).toEqual([['writer', 'Publishing.\n[invalid tool call] (unnamed)()']]);
  });

  it('tool calls that are not a list, or a call without a name, are errors naming the field, as in the OpenAI adapter; null is no calls', () => {
    const ai = (fields: Record<string, unknown>) => ({ messages: [{ type: 'ai', name: 'a', content: 'x', ...fields }], outcome });
    expect(() => fromLangChain(ai({ tool_calls: { id: 'c', name: 'f' } }))).toThrow(/messages\[0\]\.tool_calls: expected an array of tool calls \{ name, args, id \} \(or null\), got object/);
    expect(() => fromLangChain(ai({ tool_calls: [{ id: 'c', args: {} }] }))).toThrow(/messages\[0\]\.tool_calls\[0\]: expected a tool call \{ name, args, id \} with a name, got object/);
    expect(() => fromLangChain(ai({ tool_calls: ['f'] }))).toThrow(/messages\[0\]\.tool_calls\[0\]: expected a tool call \{ name, args, id \} with a name, got "f"/);
    expect(() => fromLangChain(ai({ invalid_tool_calls: 'oops' }))).toThrow(/messages\[0\]\.invalid_tool_calls: expected an array of invalid tool calls \{ name, args, id, error \} \(or null\), got "oops"/);
    expect(() => fromLangChain(ai({ invalid_tool_calls: [null] }))).toThrow(/messages\[0\]\.invalid_tool_calls\[0\]: expected an invalid tool call \{ name, args, id, error \}, got null/);
    expect(contents(ai({ tool_calls: null, invalid_tool_calls: null }))).toEqual([['a', 'x']]);
  });

  it('an invalid call a tool_use block spells too is still marked, and takes its result once', () => {
    const messages = [
      { type: 'ai', name: 'writer', content: [{ type: 'tool_use', id: 'toolu_1', name: 'publish', input: {} }], invalid_tool_calls: [{ name: 'publish', args: '{"title": "untermin', id: 'toolu_1', error: 'not valid JSON' }] },
      { type: 'tool', tool_call_id: 'toolu_1', content: 'Error: invalid arguments' },
    ];
    expect(contents({ messages, outcome })).toEqual([['writer', 'publish({})\n[invalid tool call] publish({"title": "untermin): not valid JSON\n[publish result] Error: invalid arguments']]);
  });
});
