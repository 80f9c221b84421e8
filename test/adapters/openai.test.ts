import { describe, expect, it } from 'vitest';
import { fromOpenAI } from '../../src/episodes/adapters/openai.js';
import { attributeEpisode } from '../../src/episodes/attribute.js';
import { parseEpisode } from '../../src/episodes/episode.js';
import { InputError } from '../../src/core/errors.js';
import { readJson } from '../support/fixtures.js';

const failed = { score: 0, success: false };

describe('OpenAI chat adapter', () => {
  it('a 3-agent transcript with system, user and tool turns is a 3-player game: tool results join the caller', () => {
    const episode = parseEpisode(fromOpenAI(readJson('test/fixtures/openai-chat.json')));
    expect(episode.id).toBe('openai-trip-1');
    expect(episode.agents).toEqual(['scout', 'booker', 'checker']);
    expect(episode.context).toEqual(['system', 'user']);
    expect(episode.messages.map((message) => message.agent)).toEqual(['system', 'user', 'scout', 'scout', 'booker', 'booker', 'checker']);
    expect(episode.messages[2].content).toBe(
      'search_places({"query":"vegetarian restaurant","near":"venue","party":8})\n' +
        '[search_places result] [{"name":"Green Table","distance_m":350,"groups":true},{"name":"Leaf","distance_m":900,"groups":false}]',
    );
    expect(episode.messages[2].label).toBe('helpful');
    expect(episode.messages[3]).toMatchObject({ content: 'Green Table is 350 m away and takes groups.', score: 0.7 });
    expect(episode.messages[4].content).toBe('reserve({"place":"Green Table","party":8,"day":"Friday","time":"19:30"})\n[reserve result] {"status":"confirmed","code":"GT-4471"}');
  });

  it('attributes the adapted episode: credit sums to v(team) over the 3 players, rewards conserve each credit', async () => {
    const signals = await attributeEpisode(fromOpenAI(readJson('test/fixtures/openai-chat.json')));
    expect(signals.agents.map((agent) => agent.agent)).toEqual(['scout', 'booker', 'checker']);
    // Shapley values of the fixture's table by hand (weights 1/3, 1/6, 1/6, 1/3 over each player's marginal contributions).
    expect(signals.agents.map((agent) => agent.credit)).toEqual([expect.closeTo(0.475, 12), expect.closeTo(0.275, 12), expect.closeTo(0.05, 12)]);
    for (const { agent, credit } of signals.agents) {
      const rewards = signals.messages.filter((message) => message.agent === agent).reduce((sum, message) => sum + message.reward, 0);
      expect(rewards).toBeCloseTo(credit!, 9);
    }
    expect(signals.messages.some((message) => message.agent === 'user' || message.agent === 'system')).toBe(false);
  });

  it('`agents` beside the transcript or as an option names the players; everyone else is context', () => {
    const record = readJson('test/fixtures/openai-chat.json') as Record<string, unknown>;
    const { coalitions: _table, ...plain } = record;
    const mine = parseEpisode(fromOpenAI({ ...plain, agents: ['scout', 'booker'] }));
    expect(mine.agents).toEqual(['scout', 'booker']);
    expect(mine.context).toEqual(['system', 'user', 'checker']);
    expect(parseEpisode(fromOpenAI(plain, { agents: ['user', 'scout', 'booker', 'checker'] })).agents).toEqual(['user', 'scout', 'booker', 'checker']);
  });

  it('a misspelled `agents` entry is an error: the agent meant would be context and never rewarded', () => {
    const chat = [{ role: 'user', content: 'Plan' }, { role: 'assistant', name: 'planner', content: 'Go' }];
    expect(() => fromOpenAI(chat, { id: 'r', outcome: { score: 1, success: true }, agents: ['planer'] }))
      .toThrow(/^options\.agents: "planer" never speaks in the transcript; did you mean "planner"\? \(it speaks but is not listed\)$/);
  });

  it('accepts a bare message array with the evaluation given as defaults; says when the evaluation is missing', () => {
    const messages = readJson('test/fixtures/openai-plain.json');
    const episode = parseEpisode(fromOpenAI(messages, { id: 'plain', outcome: { score: 1, success: true } }));
    expect(episode.agents).toEqual(['assistant']);
    expect(episode.context).toEqual(['system', 'user']);
    expect(() => fromOpenAI(messages)).toThrow(/outcome: missing: a transcript needs its evaluation beside it/);
    expect(() => fromOpenAI([{ content: 'x' }], { id: 'x', outcome: failed })).toThrow(/messages\[0\]\.role: expected a non-empty string, got undefined/);
    expect(() => fromOpenAI([{ role: 'user', content: 'x' }], { id: 'x', outcome: failed })).toThrow(/agents: no players: every speaker \(user\) is context/);
    // An assistant is a player by its role, unless a coalition table beside it names other players (here none).
    expect(() => fromOpenAI({ messages: [{ role: 'user', content: 'x' }, { role: 'assistant', name: 'a', content: 'y' }], coalitions: [{ agents: [], value: 0 }] }, { id: 'x', outcome: failed }))
      .toThrow(/agents: no players: the coalition table beside the transcript defines the players, and its coalitions name none of the speakers \(user, a\)/);
    expect(() => fromOpenAI('hello')).toThrow(/expected an OpenAI chat transcript/);
    // The key is there, holding something else: named, with what it holds.
    expect(() => fromOpenAI({ messages: 'hello' }, { id: 'x', outcome: failed })).toThrow(/messages: expected the OpenAI chat transcript's messages as an array, got "hello"/);
  });

  it('keeps refusals, shows audio, images and files as placeholders (never base64), spells each tool call once', () => {
    const png = 'iVBORw0KGgo'.padEnd(4000, 'A');
    const wav = 'UklGR'.padEnd(8000, 'A');
    const record = fromOpenAI({
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'What is in this picture?' }, { type: 'image_url', image_url: { url: `data:image/png;base64,${png}` } }, { type: 'input_audio', input_audio: { data: wav, format: 'wav' } }, { type: 'file', file: { filename: 'report.pdf', file_data: `data:application/pdf;base64,${png}` } }] },
        { role: 'assistant', name: 'vision', content: null, refusal: 'I cannot identify people in images.' },
        { role: 'assistant', name: 'vision', content: [{ type: 'refusal', refusal: 'Not this either.' }] },
        { role: 'assistant', name: 'voice', content: null, audio: { id: 'audio_1', data: wav, transcript: 'Here is a summary.' } },
        { role: 'assistant', name: 'caller', content: 'Looking it up.', function_call: { name: 'lookup', arguments: '{"q":"x"}' } },
        { role: 'function', name: 'lookup', content: 'found x' },
      ],
      outcome: failed,
    }) as { messages: Array<{ content: string }> };
    const texts = record.messages.map((message) => message.content);
    expect(texts[0]).toBe('What is in this picture?\n[image: image/png, 3.0 kB]\n[audio: wav, 6.0 kB]\n[file: report.pdf, application/pdf, 3.0 kB]');
    expect(texts[1]).toBe('[refusal] I cannot identify people in images.');
    expect(texts[2]).toBe('[refusal] Not this either.');
    expect(texts[3]).toBe('[audio: audio_1: "Here is a summary."]');
    expect(texts[4]).toBe('Looking it up.\nlookup({"q":"x"})\n[lookup result] found x');
    expect(texts).toHaveLength(5);
    expect(JSON.stringify(record)).not.toContain('AAAA');
  });

  it('malformed tool_calls or function_call are an InputError naming the field, never dropped; null is no calls', () => {
    const read = (assistant: Record<string, unknown>) => fromOpenAI({ messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', name: 'a', content: null, ...assistant }], outcome: failed }, { id: 'x' });
    for (const toolCalls of ['x', { id: 'c1', function: { name: 'f', arguments: '{}' } }, 3]) {
      expect(() => read({ tool_calls: toolCalls })).toThrow(InputError);
      expect(() => read({ tool_calls: toolCalls })).toThrow(/^messages\[1\]\.tool_calls: expected an array of tool calls \{ id, function: \{ name, arguments \} \} \(or null\), got /);
    }
    expect(() => read({ tool_calls: 'x' })).toThrow(/got "x"$/);
    expect(() => read({ tool_calls: ['x'] })).toThrow(/^messages\[1\]\.tool_calls\[0\]: expected a tool call \{ id, function: \{ name, arguments \} \}, got "x"$/);
    expect(() => read({ tool_calls: [null] })).toThrow(/^messages\[1\]\.tool_calls\[0\]: expected a tool call .*, got null$/);
    expect(() => read({ function_call: 'f()' })).toThrow(/^messages\[1\]\.function_call: expected a function call \{ name, arguments \} \(or null\), got "f\(\)"$/);
    expect(() => read({ function_call: { arguments: '{}' } })).toThrow(/^messages\[1\]\.function_call: expected a function call/);
    // SDK dumps (model_dump of a message without calls) write null.
    const record = read({ content: 'plain', tool_calls: null, function_call: null }) as { messages: Array<{ content: string }> };
    expect(record.messages[1].content).toBe('plain');
  });

  it('a tool result whose call is unknown stays in the transcript as context', () => {
    const episode = parseEpisode(fromOpenAI({ messages: [{ role: 'assistant', content: 'hi' }, { role: 'tool', tool_call_id: 'nope', content: 'orphan' }], outcome: failed }, { id: 'x' }));
    expect(episode.agents).toEqual(['assistant']);
    expect(episode.context).toEqual(['tool']);
  });

  it('content nested too deeply is an InputError naming the field, not a stack overflow', () => {
    const deep = JSON.parse('['.repeat(20000) + '"x"' + ']'.repeat(20000));
    const call = () => fromOpenAI({ messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: deep }] });
    expect(call).toThrow(InputError);
    expect(call).toThrow(/^messages\[1\]\.content: nested more than 64 levels deep/);
    // A few levels (parts, tool calls) are fine.
    const ok = fromOpenAI({ messages: [{ role: 'user', content: [[{ type: 'text', text: 'a' }], [[{ type: 'text', text: 'b' }]]] }, { role: 'assistant', content: 'c' }], outcome: failed }) as { messages: Array<{ content: string }> };
    expect(ok.messages[0].content).toBe('a\nb');
  });
});
