import { describe, expect, it } from 'vitest';
import { agentView, checkSystemTurn, foldSystemTurn, systemText } from '../src/episodes/agent-view.js';
import { parseEpisode } from '../src/episodes/episode.js';

const run = parseEpisode({
  id: 'v',
  task: 'fix the bug',
  agents: [{ id: 'planner', role: 'breaks the task down.' }, 'coder', 'critic'],
  context: ['user'],
  messages: [
    { agent: 'user', content: 'it crashes on start' },
    { agent: 'planner', content: 'coder: read the log' },
    { agent: 'coder', content: 'reading' },
    { agent: 'coder', content: 'found it' },
    { agent: 'coder', content: 'patched' },
    { agent: 'critic', content: 'looks good' },
    { agent: 'planner', content: 'ship it' },
  ],
  outcome: { score: 1, success: true },
});

describe('agentView', () => {
  it('names the agent and its role in a system turn; others’ messages joined into prefixed user turns; own turns as assistant', () => {
    expect(agentView(run, 6, 'planner')).toEqual([
      { role: 'system', content: 'You are planner. Your role: breaks the task down. You work with coder, critic. Messages from others come in user turns, each prefixed with its speaker in brackets, e.g. [coder].' },
      { role: 'user', content: 'fix the bug\n\n[user] it crashes on start' },
      { role: 'assistant', name: 'planner', content: 'coder: read the log' },
      { role: 'user', content: '[coder] reading\n\n[coder] found it\n\n[coder] patched\n\n[critic] looks good' },
    ]);
  });

  it('joins consecutive own turns into one assistant turn; quotes the own turns right before the completion in the last user turn', () => {
    const coder = agentView(run, 6, 'coder');
    expect(coder.map((turn) => [turn.role, turn.name])).toEqual([['system', undefined], ['user', undefined], ['assistant', 'coder'], ['user', 'critic']]);
    expect(coder[2].content).toBe('reading\n\nfound it\n\npatched');
    // Before "patched": coder's two turns right before it are quoted, so the prompt ends with a user turn.
    expect(agentView(run, 4, 'coder').slice(1)).toEqual([
      { role: 'user', content: 'fix the bug\n\n[user] it crashes on start\n\n[planner] coder: read the log\n\n[coder] reading\n\n[coder] found it' },
    ]);
  });

  it('a speaker first without a task opens with an empty user turn; the fold puts the system text there', () => {
    const first = parseEpisode({ id: 'f', agents: ['a', 'b'], messages: [{ agent: 'a', content: 'hi' }, { agent: 'b', content: 'yo' }, { agent: 'a', content: 'go' }], outcome: { score: 0, success: false } });
    expect(agentView(first, 0, 'a').slice(1)).toEqual([{ role: 'user', content: '' }]);
    expect(agentView(first, 2, 'a').slice(1)).toEqual([
      { role: 'user', content: '' },
      { role: 'assistant', name: 'a', content: 'hi' },
      { role: 'user', name: 'b', content: '[b] yo' },
    ]);
    const folded = agentView(first, 2, 'a', 'fold');
    expect(folded[0]).toEqual({ role: 'user', content: systemText(first, 'a') });
    expect(folded.slice(1).map((turn) => turn.role)).toEqual(['assistant', 'user']);
    expect(foldSystemTurn(agentView(first, 2, 'a'))).toEqual(folded);
    expect(foldSystemTurn(folded)).toEqual(folded);
  });

  it('the fold keeps the first user turn’s text and speaker after the system text', () => {
    const folded = agentView(run, 2, 'critic', 'fold');
    expect(folded).toHaveLength(1);
    expect(folded[0].content).toBe(`${systemText(run, 'critic')}\n\nfix the bug\n\n[user] it crashes on start\n\n[planner] coder: read the log`);
  });

  it('says the task once when the transcript opens with that very text (a task taken from the first user message)', () => {
    const echoed = parseEpisode({
      id: 'echo',
      task: 'fix the bug',
      agents: ['coder', 'critic'],
      context: ['system', 'user'],
      messages: [
        { agent: 'system', content: 'You are a team.' },
        { agent: 'user', content: 'fix the bug' },
        { agent: 'coder', content: 'patched' },
        { agent: 'critic', content: 'looks good' },
      ],
      outcome: { score: 1, success: true },
    });
    expect(agentView(echoed, 3, 'critic').slice(1)).toEqual([
      { role: 'user', content: '[system] You are a team.\n\n[user] fix the bug\n\n[coder] patched' },
    ]);
    // A task said only later in the run still opens the prompt.
    const later = parseEpisode({ ...echoed, id: 'later', messages: [{ agent: 'coder', content: 'starting' }, { agent: 'user', content: 'fix the bug' }, { agent: 'critic', content: 'ok' }] });
    expect(agentView(later, 2, 'critic')[1].content).toBe('fix the bug\n\n[coder] starting\n\n[user] fix the bug');
  });

  it('systemTurn accepts system or fold and names the path otherwise', () => {
    expect(checkSystemTurn(undefined)).toBe('system');
    expect(checkSystemTurn('fold')).toBe('fold');
    expect(() => checkSystemTurn('merge')).toThrow(/options\.systemTurn: expected 'system' \(a system turn\) or 'fold' \(into the first user turn\), got "merge"/);
  });

  it('refuses an index past the end, a speaker off the team and an unknown systemTurn by name', () => {
    expect(agentView(run, 7, 'planner').at(-1)!.content).toMatch(/ship it$/);
    // Before: a TypeError past the end; the user (context) and a stranger got prompts as team members; 'merge' folded.
    expect(() => agentView(run, 8, 'planner')).toThrow(/^agentView: index: expected a message index, an integer from 0 to 7 \(the episode's messages\), got 8$/);
    expect(() => agentView(run, -1, 'planner')).toThrow(/index: .*got -1$/);
    expect(() => agentView(run, 1.5, 'planner')).toThrow(/index: .*got 1\.5$/);
    expect(() => agentView(run, 2, 'user')).toThrow(/^agentView: agent: expected one of the episode's agents \(planner, coder, critic\), got "user"$/);
    expect(() => agentView(run, 2, 'nobody')).toThrow(/agent: .*got "nobody"$/);
    expect(() => agentView(run, 2, 'coder', 'merge' as never)).toThrow(/^systemTurn: expected 'system' \(a system turn\) or 'fold'/);
    // A raw record is read as ablate reads one.
    expect(agentView({ id: 'r', agents: ['a'], messages: [{ agent: 'a', content: 'hi' }], outcome: { score: 1, success: true } }, 1, 'a').map((turn) => turn.role)).toEqual(['system', 'user']);
  });

  it('foldSystemTurn takes any list of turns and names one that is not', () => {
    expect(foldSystemTurn([{ role: 'system', content: 'You are a.' }])).toEqual([{ role: 'user', content: 'You are a.' }]);
    expect(foldSystemTurn([{ role: 'system', content: 'S' }, { role: 'assistant', content: 'A' }])).toEqual([{ role: 'user', content: 'S' }, { role: 'assistant', content: 'A' }]);
    expect(foldSystemTurn([])).toEqual([]);
    expect(() => foldSystemTurn(null as never)).toThrow(/^foldSystemTurn: prompt: expected a list of turns \{ role: 'system' \| 'user' \| 'assistant', content: string \}, got null/);
    expect(() => foldSystemTurn([{ role: 'system' } as never])).toThrow(/foldSystemTurn: prompt\[0\]: expected a turn .*got object/);
  });
});

