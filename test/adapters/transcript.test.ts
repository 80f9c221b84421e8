// The transcript adapters build: turns, and tool calls linked to their results.
import { describe, expect, it } from 'vitest';
import { Transcript } from '../../src/episodes/adapters/transcript.js';

describe('Transcript', () => {
  it('append adds a line, and nothing for empty text', () => {
    const transcript = new Transcript();
    const turn = transcript.turns[transcript.add({ agent: 'coder', content: '' })];
    transcript.append(turn, '');
    transcript.append(turn, 'run()');
    transcript.append(turn, '');
    transcript.append(turn, '[run result] ok');
    expect(turn.content).toBe('run()\n[run result] ok');
  });

  it('append is linear in the text: 10,000 appends of 1 KB to one turn (a long tool loop) do not copy the turn each time', () => {
    // Copying the whole turn at every append took 3 minutes here (50 GB copied). Linked, it is milliseconds.
    const transcript = new Transcript();
    const turn = transcript.turns[transcript.add({ agent: 'coder', content: '' })];
    const line = 'x'.repeat(1023);
    for (let i = 0; i < 10_000; i++) transcript.append(turn, line);
    expect(turn.content.length).toBe(10_000 * 1024 - 1);
    expect(turn.content.endsWith(`${line}\n${line}`)).toBe(true);
  });
});
