import { describe, expect, it } from 'vitest';
import { fromText } from '../../src/episodes/adapters/text.js';
import { parseEpisode } from '../../src/episodes/episode.js';

const failed = { score: 0, success: false };

const LOG = `Task #12 - what is 17 * 24?
User: Please compute 17 * 24 and check it.
Solver (assistant): 17 * 24 = 398.
It is 17 * 20 + 17 * 4.
Verifier: 17 * 20 = 340 and 17 * 4 = 68, so 408, not 398.

Solver (assistant): Corrected: 408.`;

describe('fromText: plain text transcripts with speaker lines', () => {
  it('"Name:" and "Name (role):" lines start turns; following lines belong to them; user / system speakers are context', () => {
    const episode = parseEpisode(fromText(LOG, { id: 'mult', outcome: failed }));
    expect(episode.task).toBe('Task #12 - what is 17 * 24?');
    expect(episode.agents).toEqual(['Solver', 'Verifier']);
    expect(episode.context).toEqual(['User']);
    expect(episode.messages.map((message) => [message.agent, message.content])).toEqual([
      ['User', 'Please compute 17 * 24 and check it.'],
      ['Solver', '17 * 24 = 398.\nIt is 17 * 20 + 17 * 4.'],
      ['Verifier', '17 * 20 = 340 and 17 * 4 = 68, so 408, not 398.'],
      ['Solver', 'Corrected: 408.'],
    ]);
  });

  it('a MAST record: the trajectory under trace, mast_annotation carried as annotations, the evaluation beside it', () => {
    const record = {
      mas_name: 'ChatDev', benchmark_name: 'ProgramDev', trace_id: 17,
      trace: { trajectory: 'CEO: We build a snake game.\nProgrammer: Done, see main.py.\nReviewer: main.py does not run: pygame is missing.' },
      mast_annotation: { '1.3': 0, '3.3': 1 },
      id: 'chatdev-17', outcome: failed,
    };
    const episode = parseEpisode(fromText(record));
    expect(episode.agents).toEqual(['CEO', 'Programmer', 'Reviewer']);
    expect(episode.annotations).toEqual({ '1.3': 0, '3.3': 1 });
  });

  it('a speaker pattern of your own: named groups, or the first group', () => {
    const log = '[Alice->Bob] hello\nmore\n[Bob->Alice] hi';
    const named = fromText(log, { id: 'x', outcome: failed, speaker: /^\[(?<name>\w+)->\w+\]\s*/ }) as { messages: unknown[] };
    expect(named.messages).toEqual([{ agent: 'Alice', content: 'hello\nmore' }, { agent: 'Bob', content: 'hi' }]);
    const positional = fromText('>> planner | plan it\n>> coder | code it', { id: 'y', outcome: failed, speaker: /^>> (\w+) \| / }) as { messages: unknown[] };
    expect(positional.messages).toEqual([{ agent: 'planner', content: 'plan it' }, { agent: 'coder', content: 'code it' }]);
  });

  it('with the agents named, a "Name:" line of anyone else is text of the turn it sits in, not a speaker', () => {
    const log = [
      'User: the date parser fails after midnight.',
      'Coder: I ran the tests:',
      'Traceback (most recent call last):',
      '  File "t.py", line 3',
      'ValueError: bad date',
      'Note: it only fails after midnight.',
      'Step 1: freeze the clock.',
      'Critic: Approved.',
    ].join('\n');
    const coderTurn = log.split('\n').slice(1, 7).join('\n').replace(/^Coder: /, '');
    for (const record of [
      fromText(log, { id: 't', outcome: failed, agents: ['Coder', 'Critic'] }),
      fromText({ log, agents: ['Coder', 'Critic'] }, { id: 't', outcome: failed }),
      fromText({ log, coalitions: [{ agents: [], value: 0 }, { agents: ['Coder'], value: 0.5 }, { agents: ['Critic'], value: 0 }, { agents: ['Coder', 'Critic'], value: 0 }] }, { id: 't', outcome: failed }),
    ]) {
      const episode = parseEpisode(record);
      expect(episode.agents).toEqual(['Coder', 'Critic']);
      expect(episode.context).toEqual(['User']);
      expect(episode.messages.map((message) => [message.agent, message.content])).toEqual([
        ['User', 'the date parser fails after midnight.'],
        ['Coder', coderTurn],
        ['Critic', 'Approved.'],
      ]);
    }
    // Without a roster every speaker line opens a turn (README says so, and to name the agents).
    expect(parseEpisode(fromText(log, { id: 't', outcome: failed })).agents).toEqual(['Coder', 'Traceback', 'ValueError', 'Note', 'Step 1', 'Critic']);
  });

  it('a listed agent misspelled is an error, not a log whose first turn becomes the task and whose agent is never heard', () => {
    const success = { score: 1, success: true };
    expect(() => fromText('alice: hi\nbob: yo', { id: 't', outcome: success, agents: ['alcie', 'bob'] }))
      .toThrow(/^options\.agents: "alcie" never speaks in the transcript; did you mean "alice"\?/);
    // Every name misspelled: no line opens a turn, and the misspelling is what to say, not "no speaker lines".
    expect(() => fromText('alice: hi\nbob: yo', { id: 't', outcome: success, agents: ['alcie'] })).toThrow(/options\.agents: "alcie" never speaks.*"alice"/);
    // An agent of the roster who did not speak this time, with no speaker near its name, is allowed.
    expect(parseEpisode(fromText('alice: hi\nbob: yo', { id: 't', outcome: success, agents: ['alice', 'bob', 'carol'] })).agents).toEqual(['alice', 'bob', 'carol']);
  });

  it('speaker names in any script (letters, digits and marks of any language); prose, URLs and times still are not speakers', () => {
    const log = 'Task\nJürgen: plan it\nbob: done\n李雷: checked\nनेहा (critic): ok\nZoë 2: see https://example.com/a\nat 10:30: nothing';
    const episode = parseEpisode(fromText(log, { id: 'u', outcome: failed }));
    expect(episode.task).toBe('Task');
    expect(episode.messages.map((message) => [message.agent, message.content])).toEqual([
      ['Jürgen', 'plan it'],
      ['bob', 'done'],
      ['李雷', 'checked'],
      ['नेहा', 'ok'],
      ['Zoë 2', 'see https://example.com/a\nat 10:30: nothing'],
    ]);
    // Decomposed "ü" (u + combining diaeresis) is a name too.
    expect((fromText('J\u0075\u0308rgen: hi', { id: 'd', outcome: failed }) as { messages: Array<{ agent: string }> }).messages[0].agent).toBe('J\u0075\u0308rgen');
    for (const prose of ['https://example.com: down', '10:30: meeting', '- item: x', '"Quote": x']) {
      expect(() => fromText(prose, { id: 'p', outcome: failed })).toThrow(/no speaker lines/);
    }
  });

  it('full-width colons and parentheses, as Chinese and Japanese logs write them, start turns without a space', () => {
    const episode = parseEpisode(fromText('任务：检查代码\n李雷：我来写\n韩梅梅（审查）：没问题', { id: 'zh', outcome: failed }));
    expect(episode.task).toBe('检查代码');
    expect(episode.messages.map((message) => [message.agent, message.content])).toEqual([
      ['李雷', '我来写'],
      ['韩梅梅', '没问题'],
    ]);
  });

  it('a "Task:" (or "Question:", "Goal:") line heading the log is the task, not a player; later it is an ordinary line', () => {
    const episode = parseEpisode(fromText('Task: fix the flaky test\nin the parser suite\nplanner: rerun it\ncoder: patched\ncritic: ok', { id: 'fix', outcome: failed }));
    expect(episode.task).toBe('fix the flaky test\nin the parser suite');
    expect(episode.agents).toEqual(['planner', 'coder', 'critic']);
    expect(parseEpisode(fromText('QUESTION: 2 + 2?\nsolver: 4', { id: 'q', outcome: failed })).task).toBe('2 + 2?');
    // Once a turn has begun, a "Goal:" line is a speaker like any other (without a roster), and a named agent "Task" stays one.
    expect(parseEpisode(fromText('solver: 4\nGoal: done', { id: 'g', outcome: failed })).agents).toEqual(['solver', 'Goal']);
    expect(parseEpisode(fromText('Task: plan\nworker: done', { id: 't', agents: ['Task', 'worker'], outcome: failed })).agents).toEqual(['Task', 'worker']);
  });

  it('says what is missing', () => {
    expect(() => fromText({ foo: 1 })).toThrow(/trajectory: expected a text transcript/);
    expect(() => fromText('no speakers here', { outcome: failed })).toThrow(/text: no speaker lines: expected turns starting with "Name:" or "Name \(role\):"/);
    expect(() => fromText('User: hi', { id: 'u', outcome: failed })).toThrow(/agents: no players/);
  });

  it('a speaker pattern with the g or y flag matches every line, and is left as it was given', () => {
    for (const flags of ['g', 'y', 'gm']) {
      const speaker = new RegExp('^(\\w+):', flags);
      expect(fromText('a: hi\nb: yo\na: ok', { outcome: failed, speaker }).messages).toEqual([
        { agent: 'a', content: 'hi' }, { agent: 'b', content: 'yo' }, { agent: 'a', content: 'ok' },
      ]);
      expect(speaker.lastIndex).toBe(0);
    }
  });
});

