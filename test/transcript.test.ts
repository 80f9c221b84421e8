// What a judge sees of an episode, exactly.
import { describe, expect, it } from 'vitest';
import { renderTranscript, transcriptView } from '../src/judge.js';

const episode = {
  id: 'e',
  task: 'Say "hi"\nFacts: hi',
  agents: ['a', 'b'],
  context: ['user'],
  messages: [
    { id: '0', agent: 'user', content: 'Greet me.' },
    { id: '1', agent: 'a', content: 'hi\n"there"' },
    { id: '2', agent: 'b', content: 'done' },
  ],
};

describe('transcripts', () => {
  it('renders the task as a JSON string, the team, and one JSON line per message marked agent or context', () => {
    expect(renderTranscript(transcriptView(episode))).toBe([
      'Task: "Say \\"hi\\"\\nFacts: hi"',
      'Team: ["a","b"]',
      'Transcript: 3 messages, one JSON object per line.',
      '{"n":1,"from":"user","as":"context","text":"Greet me."}',
      '{"n":2,"from":"a","as":"agent","text":"hi\\n\\"there\\""}',
      '{"n":3,"from":"b","as":"agent","text":"done"}',
    ].join('\n'));
  });

  it('shows a prefix as such, and says when there is no task', () => {
    const { task: _task, ...untasked } = episode;
    expect(renderTranscript(transcriptView(untasked, 2)).split('\n').slice(0, 3)).toEqual([
      'Task: (none given; judge by what the team set out to do)',
      'Team: ["a","b"]',
      'Transcript: the first 2 of 3 messages, one JSON object per line.',
    ]);
  });

  it('treats speakers outside agents as context even without a context list (a counterfactual keeps them)', () => {
    const view = transcriptView({ id: 'c', agents: ['b'], messages: episode.messages });
    expect(view.messages.map((message) => message.as)).toEqual(['context', 'context', 'agent']);
  });
});
