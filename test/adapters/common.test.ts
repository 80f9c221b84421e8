// The options every adapter takes, checked where they come in.
import { describe, expect, it } from 'vitest';
import { episodeRecord } from '../../src/episodes/adapters/common.js';
import { episodesFrom } from '../../src/episodes/adapters/index.js';
import { fromAG2, fromAutoGen, fromLangChain, fromOpenAI, fromOpenAIResponses, fromOtel, fromText, fromWhoWhen } from '../../src/episodes/adapters/index.js';

const outcome = { score: 1, success: true };
const chat = [{ role: 'assistant', name: 'a', content: 'x' }];

describe('adapter options', () => {
  it('a misspelled option is an InputError naming the nearest one, in every adapter', () => {
    const cases: Array<[string, () => unknown]> = [
      ['fromOpenAI', () => fromOpenAI(chat, { outcome, agnets: ['a'] } as never)],
      ['fromAG2', () => fromAG2(chat, { outcome, agnets: ['a'] } as never)],
      ['fromAutoGen', () => fromAutoGen({ messages: [{ source: 'a', content: 'x', type: 'TextMessage' }] }, { outcome, agnets: ['a'] } as never)],
      ['fromLangChain', () => fromLangChain([{ type: 'ai', name: 'a', content: 'x' }], { outcome, agnets: ['a'] } as never)],
      ['fromWhoWhen', () => fromWhoWhen({ history: [{ name: 'a', content: 'x' }], is_correct: true }, { agnets: ['a'] } as never)],
      ['fromText', () => fromText('a: hi', { outcome, agnets: ['a'] } as never)],
      ['fromOpenAIResponses', () => fromOpenAIResponses([{ type: 'message', role: 'assistant', content: 'x' }], { outcome, agnets: ['a'] } as never)],
      ['fromOtel', () => fromOtel({ resourceSpans: [] }, { outcome, agnets: ['a'] } as never)],
    ];
    for (const [, adapt] of cases) expect(adapt).toThrow(/^options\.agnets: unknown option \(did you mean agents\?\); expected one of id, task, outcome, agents, includeReasoning/);
    expect(() => fromOtel({ resourceSpans: [] }, { outcome, gropBy: 'trace' } as never)).toThrow(/options\.gropBy: unknown option \(did you mean groupBy\?\)/);
    expect(() => fromOpenAIResponses(chat, { outcome, agnt: 'x' } as never)).toThrow(/options\.agnt: unknown option \(did you mean agent\?\)/);
  });

  it('an option of the wrong kind is named where it comes in, not ignored or blamed on the record', () => {
    expect(() => fromOpenAI(chat, { outcome, includeReasoning: 'yes' } as never)).toThrow(/options\.includeReasoning: expected true or false, got "yes"/);
    expect(() => fromOpenAI(chat, { outcome: { score: 'x', success: true } } as never)).toThrow(/options\.outcome\.score: expected outcome\.score/);
    expect(() => fromOpenAI(chat, { outcome, agents: 'a' } as never)).toThrow(/options\.agents: expected the players as an array of agent ids, got "a"/);
    expect(() => fromOpenAI(chat, { outcome, id: 5 } as never)).toThrow(/options\.id: expected the episode id as a non-empty string, got 5/);
    expect(() => fromOpenAIResponses(chat, { outcome, agent: 5 } as never)).toThrow(/options\.agent: expected an agent name as a non-empty string, got 5/);
    expect(() => fromOtel({ resourceSpans: [] }, { outcome, groupBy: 'span' } as never)).toThrow(/options\.groupBy: expected 'trace' or 'conversation', got "span"/);
    expect(() => fromText('a: hi', { outcome, speaker: 'a' } as never)).toThrow(/options\.speaker: expected a RegExp for speaker lines, got "a"/);
    expect(() => fromOpenAI(chat, 5 as never)).toThrow(/^options: expected an object of options \(id, task, outcome, agents, includeReasoning\), got 5/);
    expect(fromOpenAI({ messages: chat, outcome }, null)).toMatchObject({ agents: ['a'] });
  });

  it('episodesFrom checks names against the format, and with auto passes each adapter its own', () => {
    expect(() => episodesFrom('auto', chat, {}, { outcom: outcome } as never)).toThrow(/options\.outcom: unknown option \(did you mean outcome\?\)/);
    expect(() => episodesFrom('openai', chat, {}, { outcome, speaker: /x/ } as never)).toThrow(/options\.speaker: unknown option/);
    expect(episodesFrom('auto', chat, {}, { id: 'e', outcome, speaker: /^(\w+):/ })[0].agents).toEqual(['a']);
  });
});

describe('players and context of a transcript', () => {
  it('a transcript with thousands of speakers (a log without a roster: "Step 1:", "Step 2:", ...) is cast in linear time', () => {
    // Each speaker was looked for by a scan of the turns: 100,000 "Step N:" lines took 39 s. Counted here: reads of each turn's speaker.
    let reads = 0;
    const turns = Array.from({ length: 5_000 }, (_, i) => ({ get agent() { reads++; return i === 0 ? 'user' : `Step ${i}`; }, content: 'done', context: i === 0 }));
    const record = episodeRecord(turns, {}, { outcome });
    expect(record.context).toEqual(['user']);
    expect((record.agents as string[]).length).toBe(4_999);
    expect(reads).toBeLessThan(5 * turns.length);
  });

  it('with a coalition table, its members are the players; the other speakers are context', () => {
    const record = fromOpenAI([{ role: 'user', content: 'go' }, { role: 'assistant', name: 'a', content: 'x' }, { role: 'assistant', name: 'b', content: 'y' }], {
      outcome,
    });
    expect(record.agents).toEqual(['a', 'b']);
    const tabled = fromOpenAI({ messages: [{ role: 'user', content: 'go' }, { role: 'assistant', name: 'a', content: 'x' }, { role: 'assistant', name: 'b', content: 'y' }], coalitions: [{ agents: ['a', 'c'], value: 1 }] }, { outcome });
    expect(tabled.agents).toEqual(['a', 'c']);
    expect(tabled.context).toEqual(['user', 'b']);
  });
});

describe('a listed agent that never speaks', () => {
  const misspelled = /^options\.agents: "planer" never speaks in the transcript; did you mean "planner"\? \(it speaks but is not listed\)$/;

  it('is an InputError naming the speaker meant when an unlisted speaker is a misspelling away, in every adapter that takes agents', () => {
    const agents = ['planer'];
    const cases: Array<[string, () => unknown]> = [
      ['fromOpenAI', () => fromOpenAI([{ role: 'user', content: 'Plan' }, { role: 'assistant', name: 'planner', content: 'Go' }], { outcome, agents })],
      ['fromAG2', () => fromAG2([{ name: 'planner', content: 'Go' }], { outcome, agents })],
      ['fromAutoGen', () => fromAutoGen({ messages: [{ source: 'planner', content: 'Go', type: 'TextMessage' }] }, { outcome, agents })],
      ['fromLangChain', () => fromLangChain([{ type: 'ai', name: 'planner', content: 'Go' }], { outcome, agents })],
      ['fromWhoWhen', () => fromWhoWhen({ history: [{ name: 'planner', content: 'Go' }], is_correct: true }, { agents })],
      ['fromText', () => fromText('planner: Go', { outcome, agents })],
      ['fromOpenAIResponses', () => fromOpenAIResponses([{ type: 'message', role: 'assistant', content: 'Go' }], { outcome, agent: 'planner', agents })],
      ['fromOtel', () => fromOtel([{ traceId: 't', spanId: 's', name: 'invoke_agent', attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'planner', 'gen_ai.output.messages': JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: 'Go' }] }]) } }], { outcome, agents })],
    ];
    for (const [name, adapt] of cases) expect(adapt, name).toThrow(misspelled);
  });

  it('stays allowed when no unlisted speaker explains it (a roster shared across runs)', () => {
    const chat = [{ role: 'user', content: 'Plan' }, { role: 'assistant', name: 'planner', content: 'Go' }];
    expect(fromOpenAI(chat, { outcome, agents: ['planner', 'critic'] })).toMatchObject({ agents: ['planner', 'critic'], context: ['user'] });
    // A context speaker is not what a listed name meant: "usr" stays a silent player beside the user.
    expect(fromOpenAI(chat, { outcome, agents: ['planner', 'usr'] })).toMatchObject({ agents: ['planner', 'usr'], context: ['user'] });
    // Short names need an exact match but for letter case: a silent "B" is not taken for a speaking "C", who stays context.
    expect(fromAG2([{ name: 'A', content: 'x' }, { name: 'C', content: 'y' }], { outcome, agents: ['A', 'B'] })).toMatchObject({ agents: ['A', 'B'], context: ['C'] });
    expect(() => fromAG2([{ name: 'A', content: 'x' }, { name: 'b', content: 'y' }], { outcome, agents: ['A', 'B'] })).toThrow(/options\.agents: "B" never speaks in the transcript; did you mean "b"\?/);
  });

  it('applies to an episode record given new players (the CLI\'s --agents), its own agents being outside the new list', () => {
    const episode = { id: 'e', outcome, agents: ['alice', 'bob'], messages: [{ agent: 'alice', content: 'hi' }, { agent: 'bob', content: 'yo' }] };
    expect(() => episodesFrom('episode', episode, {}, { agents: ['alcie', 'bob'] })).toThrow(/options\.agents: "alcie" never speaks in the transcript; did you mean "alice"\?/);
    expect(episodesFrom('episode', episode, {}, { agents: ['bob', 'carol'] })[0]).toMatchObject({ agents: ['bob', 'carol'], context: ['alice'] });
  });

  it('names each misspelled agent, and `agents` beside the transcript as such', () => {
    const chat = [{ role: 'assistant', name: 'planner', content: 'Go' }, { role: 'assistant', name: 'critic', content: 'Ok' }];
    expect(() => fromOpenAI(chat, { outcome, agents: ['planer', 'critc'] })).toThrow(/2 problems\n {2}- options\.agents: "planer" never speaks .*"planner"\?.*\n {2}- options\.agents: "critc" never speaks .*"critic"\?/);
    expect(() => fromOpenAI({ messages: chat, agents: ['planer', 'critic'] }, { outcome })).toThrow(/^agents: "planer" never speaks in the transcript; did you mean "planner"\?/);
    // A speaker the record names as context is not what a listed name meant.
    expect(fromOpenAI({ messages: chat, agents: ['planer', 'critic'], context: ['planner'] }, { outcome })).toMatchObject({ agents: ['planer', 'critic'], context: ['planner'] });
  });
});

describe('a bare transcript without its outcome', () => {
  const outcome = { score: 1, success: true };
  // Each adapter given its list (or text) alone: the error says how to wrap it, and the wrapped form reads.
  const bare: Array<[string, (record: unknown) => unknown, unknown, string]> = [
    ['fromOpenAI', fromOpenAI, [{ role: 'assistant', content: 'x' }], 'messages'],
    ['fromAG2', fromAG2, [{ name: 'a', content: 'x' }], 'messages'],
    ['fromAutoGen', fromAutoGen, [{ source: 'a', content: 'x', type: 'TextMessage' }], 'messages'],
    ['fromLangChain', fromLangChain, [{ type: 'ai', content: 'x' }], 'messages'],
    ['fromOpenAIResponses', fromOpenAIResponses, [{ type: 'message', role: 'assistant', content: 'x' }], 'items'],
    ['fromText', fromText, 'a: hi\nb: yo', 'text'],
  ];

  it.each(bare)('%s names the key to wrap it under, and the wrapped form reads', (_name, adapter, input, key) => {
    const shape = typeof input === 'string' ? '"..."' : '[...]';
    expect(() => adapter(input)).toThrow(`wrap it as {"${key}": ${shape}, "outcome": { "score": 1, "success": true }}`);
    expect(adapter({ [key]: input, outcome })).toMatchObject({ outcome });
  });

  it('an object without an outcome gets the plain hint, with nothing about wrapping', () => {
    expect(() => fromOpenAI({ messages: [{ role: 'assistant', content: 'x' }] })).toThrow(/outcome: missing: a transcript needs its evaluation beside it, e\.g\. "outcome": \{ "score": 1, "success": true \}$/);
  });
});
