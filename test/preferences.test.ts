import { describe, expect, it } from 'vitest';
import { parseEpisode } from '../src/episodes/episode.js';
import { preferencesOf, promptBefore } from '../src/episodes/preferences.js';

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
  it('the prompt is the conversation before a message; its speaker is the assistant, except right before it', () => {
    expect(promptBefore(episode(), 2, 'a')).toEqual([
      { role: 'user', content: 'answer the question' },
      { role: 'assistant', name: 'a', content: 'look it up' },
      { role: 'user', name: 'b', content: 'wrong fact' },
    ]);
    // a spoke right before message 3: that turn is a user turn, so the prompt ends with one (TRL would continue an assistant turn).
    expect(promptBefore(episode(), 3, 'a')).toEqual([
      { role: 'user', content: 'answer the question' },
      { role: 'assistant', name: 'a', content: 'look it up' },
      { role: 'user', name: 'b', content: 'wrong fact' },
      { role: 'user', name: 'a', content: 'builds on it' },
    ]);
  });

  it('every prompt is non-empty, opens with a user turn and ends with one (TRL reads prompt[-1].role)', () => {
    const noTask = parseEpisode({
      id: 'n', agents: ['coder', 'critic'],
      messages: [
        { agent: 'coder', content: 'rm -rf /', label: 'error' },
        { agent: 'coder', content: 'step 2' },
        { agent: 'coder', content: 'bad step', label: 'error' },
        { agent: 'critic', content: 'no!', label: 'corrective' },
      ],
      outcome: { score: 0, success: false },
      repairs: [{ message: '0', content: 'ls' }, { message: '2', content: 'good step' }],
    });
    expect(promptBefore(noTask, 0, 'coder')).toEqual([{ role: 'user', content: '' }]);
    // All of the speaker's turns trail: they become user turns, and no placeholder is needed.
    expect(promptBefore(noTask, 2, 'coder')).toEqual([
      { role: 'user', name: 'coder', content: 'rm -rf /' },
      { role: 'user', name: 'coder', content: 'step 2' },
    ]);
    expect(promptBefore(noTask, 3, 'critic')).toEqual([
      { role: 'user', name: 'coder', content: 'rm -rf /' },
      { role: 'user', name: 'coder', content: 'step 2' },
      { role: 'user', name: 'coder', content: 'bad step' },
    ]);
    const opensWithOwn = { ...noTask, messages: [noTask.messages[0], noTask.messages[3], noTask.messages[2]] };
    expect(promptBefore(opensWithOwn, 2, 'coder')).toEqual([
      { role: 'user', content: '' },
      { role: 'assistant', name: 'coder', content: 'rm -rf /' },
      { role: 'user', name: 'critic', content: 'no!' },
    ]);
    const preferences = [...preferencesOf(noTask, 0), ...preferencesOf(episode(), 1), ...preferencesOf(episode([{ message: 'x', content: 'y' }]), 1)];
    expect(preferences.length).toBeGreaterThan(5);
    for (const preference of preferences) {
      expect(preference.prompt.length).toBeGreaterThan(0);
      expect(preference.prompt[0].role).toBe('user');
      expect(preference.prompt.at(-1)!.role).toBe('user');
    }
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
