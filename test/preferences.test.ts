import { describe, expect, it } from 'vitest';
import { parseEpisode } from '../src/episode.js';
import { preferencesOf, promptBefore } from '../src/preferences.js';

const episode = (repairs: Array<{ message: string; content: string }> = []) =>
  parseEpisode({
    id: 'p',
    task: 'answer the question',
    agents: ['a', 'b', 'c'],
    messages: [
      { id: 'q', agent: 'a', content: 'look it up' },
      { id: 'e', agent: 'b', content: 'wrong fact', label: 'error' },
      { id: 'x', agent: 'a', content: 'builds on it' },
      { id: 'f', agent: 'c', content: 'that fact is wrong; here is the right one', label: 'corrective' },
    ],
    outcome: { score: 0, success: false },
    repairs,
  });

describe('preferences', () => {
  it('the prompt is the conversation before a message; its speaker is the assistant', () => {
    expect(promptBefore(episode(), 3, 'a')).toEqual([
      { role: 'user', content: 'answer the question' },
      { role: 'assistant', name: 'a', content: 'look it up' },
      { role: 'user', name: 'b', content: 'wrong fact' },
      { role: 'assistant', name: 'a', content: 'builds on it' },
    ]);
  });

  it('with a repair: a pair for the repair and a pair for the corrective attempt, no unpaired rows', () => {
    const preferences = preferencesOf(episode([{ message: 'e', content: 'right fact' }]), 1);
    expect(preferences.map((p) => [p.type, p.type === 'pair' ? p.source : p.label, p.message])).toEqual([
      ['pair', 'repair', 'e'],
      ['pair', 'corrective', 'e'],
    ]);
  });

  it('without a repair: the corrective pair plus unpaired rows (error false, corrective true)', () => {
    const preferences = preferencesOf(episode(), 1);
    expect(preferences.map((p) => [p.type, p.type === 'pair' ? p.source : p.label, p.message])).toEqual([
      ['pair', 'corrective', 'e'],
      ['unpaired', false, 'e'],
      ['unpaired', true, 'f'],
    ]);
  });

  it('a success episode only yields pairs from its repairs', () => {
    const success = { ...episode([{ message: 'q', content: 'better request' }]), outcome: { score: 1, success: true } };
    expect(preferencesOf(success, -1).map((p) => p.message)).toEqual(['q']);
    expect(preferencesOf({ ...success, repairs: [] }, -1)).toEqual([]);
  });
});
