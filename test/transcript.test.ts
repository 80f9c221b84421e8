// What a judge sees of an episode, exactly.
import { describe, expect, it } from 'vitest';
import { InputError } from '../src/index.js';
import { labelsPrompt, prefixValuesPrompt, recoverablePrompt, renderTranscript, transcriptView, valuePrompt } from '../src/judge.js';

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

describe('transcripts of bad input: an InputError naming the argument, never a TypeError', () => {
  it('transcriptView of what is not an episode', () => {
    for (const bad of [null, undefined, 5, 'e', [episode]]) {
      expect(() => transcriptView(bad as never)).toThrow(InputError);
    }
    expect(() => transcriptView(null as never)).toThrow(/^transcriptView: episode: expected an episode \{ id, agents, messages, task\? \}, got null$/);
    expect(() => transcriptView(undefined as never)).toThrow(/^transcriptView: episode: expected an episode .*, got undefined$/);
    expect(() => transcriptView({ ...episode, messages: undefined } as never)).toThrow(/^transcriptView: episode\.messages: expected messages as an array, got undefined$/);
    expect(() => transcriptView({ ...episode, messages: [{ agent: 'a', content: 7 }] } as never)).toThrow(/^transcriptView: episode\.messages\[0\]\.content: expected the content as a string, got 7$/);
  });

  it('transcriptView with a count of messages shown that is not one', () => {
    for (const shown of [-1, 2.5, 4, Number.NaN, '2', null]) {
      expect(() => transcriptView(episode, shown as never)).toThrow(InputError);
    }
    expect(() => transcriptView(episode, -1)).toThrow(/^transcriptView: shown: expected the number of messages shown, an integer from 0 to 3, got -1$/);
    expect(transcriptView(episode, 0).messages).toEqual([]);
    expect(transcriptView(episode, undefined).messages).toHaveLength(3);
  });

  it('renderTranscript of what is not a view', () => {
    for (const bad of [null, undefined, 5, {}, [], episode]) {
      expect(() => renderTranscript(bad as never)).toThrow(InputError);
    }
    expect(() => renderTranscript(null as never)).toThrow(/^renderTranscript: view: expected a transcript view \{ task, team, messages, total \} \(from transcriptView\), got null$/);
    const view = transcriptView(episode);
    expect(() => renderTranscript({ ...view, messages: [...view.messages.slice(0, 2), { ...view.messages[2], text: undefined }] } as never))
      .toThrow(/^renderTranscript: view\.messages\[2\]\.text: expected the message's text as a string, got undefined$/);
    expect(() => renderTranscript({ ...view, total: 2 })).toThrow(/^renderTranscript: view\.total: expected the number of messages in the run, an integer of at least 3 \(the messages shown\), got 2$/);
    expect(() => renderTranscript({ ...view, team: 'a' } as never)).toThrow(/^renderTranscript: view\.team: expected the team's agent ids as an array of strings, got "a"$/);
  });

  it('the default prompts of what is not a view', () => {
    for (const [name, template] of Object.entries({ valuePrompt, labelsPrompt, prefixValuesPrompt, recoverablePrompt })) {
      expect(() => template.render(null as never)).toThrow(new RegExp(`^${name}\\.render: view: expected a transcript view`));
      expect(template.render(transcriptView(episode))[1]!.content).toBe(renderTranscript(transcriptView(episode)));
    }
  });
});
