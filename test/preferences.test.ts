import { describe, expect, it } from 'vitest';
import { parseEpisode } from '../src/episodes/episode.js';
import { preferencesOf } from '../src/episodes/preferences.js';

const episode = (repairs: Array<{ message: string; content: string }> = [], corrector = 'c') =>
  parseEpisode({
    id: 'p',
    task: 'answer the question',
    agents: ['a', 'b', 'c'],
    messages: [
      { id: 'q', agent: 'a', content: 'look it up' },
      { id: 'e', agent: 'b', content: 'wrong fact', label: 'error' },
      { id: 'x', agent: 'a', content: 'builds on it' },
      { id: 'f', agent: corrector, content: 'that fact is wrong; here is the right one', label: 'corrective' },
    ],
    outcome: { score: 0, success: false },
    repairs,
  });

const summary = (preferences: ReturnType<typeof preferencesOf>) =>
  preferences.map((p) => [p.type, p.type === 'pair' ? p.source : p.label, p.message, p.agent]);

describe('preferences', () => {
  it('a correction by another agent gives KTO rows (error false, correction true), each under its own speaker’s prompt', () => {
    const preferences = preferencesOf(episode(), 1);
    expect(summary(preferences)).toEqual([
      ['unpaired', false, 'e', 'b'],
      ['unpaired', true, 'f', 'c'],
    ]);
    expect(preferences[0].prompt.at(-1)).toEqual({ role: 'user', content: 'answer the question\n\n[a] look it up' });
    expect(preferences[1].prompt[0].content).toMatch(/^You are c\./);
    expect(preferences[1].prompt.at(-1)!.content).toBe('answer the question\n\n[a] look it up\n\n[b] wrong fact\n\n[a] builds on it');
  });

  it('a correction by the agent that erred is a DPO pair of that agent', () => {
    const preferences = preferencesOf(episode([], 'b'), 1);
    expect(summary(preferences)).toEqual([
      ['pair', 'corrective', 'e', 'b'],
      ['unpaired', false, 'e', 'b'],
      ['unpaired', true, 'f', 'b'],
    ]);
    const pair = preferences[0];
    expect(pair.type === 'pair' && [pair.chosen[0].content, pair.rejected[0].content]).toEqual(['that fact is wrong; here is the right one', 'wrong fact']);
  });

  it('with a repair of the first error: its pair, and the other agent’s correction as KTO rows; no duplicate rows', () => {
    const preferences = preferencesOf(episode([{ message: 'e', content: 'right fact' }]), 1);
    expect(summary(preferences)).toEqual([
      ['pair', 'repair', 'e', 'b'],
      ['unpaired', false, 'e', 'b'],
      ['unpaired', true, 'f', 'c'],
    ]);
  });

  it('a pair whose sides say the same (up to whitespace at either end) is left out: a repair repeating its message is no repair', () => {
    // The repair repeats the first error: no pair, so the error is unrepaired (KTO rows, as without the repair).
    expect(summary(preferencesOf(episode([{ message: 'e', content: ' wrong fact\n' }]), 1))).toEqual(summary(preferencesOf(episode(), 1)));
    // A self-correction that repeats the error word for word: no pair.
    const repeated = parseEpisode({
      id: 'r', agents: ['a', 'b'], outcome: { score: 0, success: false },
      messages: [
        { id: 'q', agent: 'a', content: 'look it up' },
        { id: 'e', agent: 'b', content: 'wrong fact', label: 'error' },
        { id: 'f', agent: 'b', content: 'wrong fact', label: 'corrective' },
      ],
    });
    expect(preferencesOf(repeated, 1).filter((p) => p.type === 'pair')).toEqual([]);
  });

  it('a success episode only yields pairs from its repairs', () => {
    const success = { ...episode([{ message: 'q', content: 'better request' }]), outcome: { score: 1, success: true } };
    expect(preferencesOf(success, -1).map((p) => p.message)).toEqual(['q']);
    expect(preferencesOf({ ...success, repairs: [] }, -1)).toEqual([]);
  });

  it('context messages are in the prompts but neither errors answered nor corrections', () => {
    const withContext = parseEpisode({
      id: 'ctx', agents: ['a', 'b'], context: ['user'],
      messages: [
        { id: 'e', agent: 'a', content: 'bad', label: 'error' },
        { id: 'u', agent: 'user', content: 'also bad', label: 'harmful' },
        { id: 'k', agent: 'user', content: 'fix it', label: 'corrective' },
        { id: 'f', agent: 'a', content: 'fixed', label: 'corrective' },
      ],
      outcome: { score: 0, success: false },
    });
    const preferences = preferencesOf(withContext, 0);
    expect(summary(preferences)).toEqual([
      ['pair', 'corrective', 'e', 'a'],
      ['unpaired', false, 'e', 'a'],
      ['unpaired', true, 'f', 'a'],
    ]);
    expect(preferences[2].prompt.slice(1)).toEqual([
      { role: 'user', content: '' },
      { role: 'assistant', name: 'a', content: 'bad' },
      { role: 'user', name: 'user', content: '[user] also bad\n\n[user] fix it' },
    ]);
  });
});

describe('preferencesOf: arguments a caller without types can pass', () => {
  it('a first error that is no message index is an InputError; a raw record is parsed as ablate parses it', () => {
    for (const firstError of [4, 1.5, -2, NaN, undefined, '1']) {
      expect(() => preferencesOf(episode(), firstError as number)).toThrow(/^preferencesOf: firstError: expected the index of the first error, an integer from 0 to 3, or -1 for none, got /);
    }
    expect(() => preferencesOf(null, 1)).toThrow(/expected an episode object/);
    const raw = JSON.parse(JSON.stringify({ ...episode(), table: undefined }));
    expect(summary(preferencesOf(raw, 1))).toEqual(summary(preferencesOf(episode(), 1)));
    expect(preferencesOf(episode(), -1)).toEqual([]);
  });
});

