import { describe, expect, it } from 'vitest';
import { fromOpenAI } from '../../src/episodes/adapters/openai.js';
import { attributeEpisode } from '../../src/episodes/attribute.js';
import { parseEpisode } from '../../src/episodes/episode.js';
import { InputError } from '../../src/core/errors.js';
import { readJson } from '../support/fixtures.js';

describe('OpenAI chat adapter', () => {
  it('takes the agent from name, else role; spells out tool calls and content parts; keeps annotations', () => {
    const episode = parseEpisode(fromOpenAI(readJson('test/fixtures/openai-chat.json')));
    expect(episode.id).toBe('openai-trip-1');
    expect(episode.agents).toEqual(['system', 'user', 'scout', 'search', 'booker']);
    expect(episode.messages.map((message) => message.agent)).toEqual(['system', 'user', 'scout', 'search', 'scout', 'booker']);
    expect(episode.messages[2].content).toBe('search_places({"query":"vegetarian restaurant","near":"venue","party":8})');
    expect(episode.messages[2].label).toBe('helpful');
    expect(episode.messages[4]).toMatchObject({ content: 'Green Table is 350 m away and takes groups.', score: 0.7 });
  });

  it('attributes the adapted episode: credit sums to v(team), rewards conserve each credit', async () => {
    const signals = await attributeEpisode(fromOpenAI(readJson('test/fixtures/openai-chat.json')));
    const total = signals.agents.reduce((sum, agent) => sum + agent.credit!, 0);
    expect(total).toBeCloseTo(0.8, 12);
    for (const { agent, credit } of signals.agents) {
      const rewards = signals.messages.filter((message) => message.agent === agent).reduce((sum, message) => sum + message.reward, 0);
      expect(rewards).toBeCloseTo(credit!, 9);
    }
  });

  it('accepts a bare message array with the evaluation given as defaults; says when the evaluation is missing', () => {
    const messages = readJson('test/fixtures/openai-plain.json');
    const record = fromOpenAI(messages, { id: 'plain', outcome: { score: 1, success: true } });
    expect(parseEpisode(record).agents).toEqual(['system', 'user', 'assistant']);
    expect(() => fromOpenAI(messages)).toThrow(/outcome: missing: a transcript needs its evaluation beside it/);
    expect(() => fromOpenAI([{ content: 'x' }], { id: 'x', outcome: { score: 0, success: false } })).toThrow(/messages\[0\]\.role: expected a non-empty string, got undefined/);
    expect(() => fromOpenAI('hello')).toThrow(/expected a OpenAI chat transcript/);
  });

  it('content nested too deeply is an InputError naming the field, not a stack overflow', () => {
    const deep = JSON.parse('['.repeat(20000) + '"x"' + ']'.repeat(20000));
    const call = () => fromOpenAI({ messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: deep }] });
    expect(call).toThrow(InputError);
    expect(call).toThrow(/^messages\[1\]\.content: nested more than 64 levels deep/);
    // A few levels (parts, tool calls) are fine.
    const ok = fromOpenAI({ messages: [{ role: 'user', content: [[{ type: 'text', text: 'a' }], [[{ type: 'text', text: 'b' }]]] }], outcome: { score: 0, success: false } }) as { messages: Array<{ content: string }> };
    expect(ok.messages[0].content).toBe('a\nb');
  });
});
