import { describe, expect, it } from 'vitest';
import type { Signals } from '../../src/episodes.js';
import { summarize } from '../../src/ui/dataset.js';
import { InputError } from '../../src/index.js';

function signals(id: string, success: boolean, credits: Record<string, number | null>, firstError?: { agent: string; index: number }): Signals {
  return {
    id,
    success,
    agents: Object.entries(credits).map(([agent, credit]) => ({ agent, credit, stderr: null })),
    interactions: null,
    messages: [],
    firstError: firstError ? { id: `m${firstError.index}`, index: firstError.index, agent: firstError.agent, strategy: 'label' } : null,
    preferences: [],
  };
}

describe('summarize', () => {
  it('counts outcomes, takes each agent’s mean, sample sd and range over the episodes that credit it, and counts first errors', () => {
    const summary = summarize([
      signals('a', true, { x: 0.5, y: 0.1 }),
      signals('b', false, { x: 0.1, y: -0.3 }, { agent: 'y', index: 2 }),
      signals('c', false, { x: 0.3, y: null }, { agent: 'y', index: 0 }),
      signals('d', false, { x: null }),
    ]);
    expect(summary).toMatchObject({ episodes: 4, successes: 1, failures: 3, unlocated: 1 });
    const x = summary.agents.find((a) => a.agent === 'x')!;
    expect(x.episodes).toBe(3);
    expect(x.mean).toBeCloseTo(0.3, 15);
    expect(x.sd).toBeCloseTo(0.2, 15);
    expect([x.min, x.max]).toEqual([0.1, 0.5]);
    const y = summary.agents.find((a) => a.agent === 'y')!;
    expect(y).toMatchObject({ episodes: 2, min: -0.3, max: 0.1 });
    expect(y.mean).toBeCloseTo(-0.1, 15);
    expect(summary.agents.map((a) => a.agent)).toEqual(['x', 'y']);
    expect(summary.firstErrorsByAgent).toEqual([{ agent: 'y', count: 2 }]);
    expect(summary.firstErrorsByStep).toEqual([{ index: 0, count: 1 }, { index: 2, count: 1 }]);
  });
});

describe('summarize of what is not a list of Signals: an InputError naming the item and field, not a TypeError or a NaN', () => {
  it('names the argument when it is not an array', () => {
    for (const bad of [null, undefined, 5, signals('a', true, { x: 1 })]) expect(() => summarize(bad as never)).toThrow(InputError);
    expect(() => summarize(null as never)).toThrow(/^summarize: all: expected an array of Signals \(what attributeEpisodes returns\), got null$/);
  });

  it('names the first item at fault and its field', () => {
    const good = signals('a', true, { x: 0.5 });
    expect(() => summarize([good, null] as never)).toThrow(/^summarize: all\[1\]: expected the Signals of an episode \{ success, agents, interactions, messages, firstError \} \(what attributeEpisode returns\), got null$/);
    expect(() => summarize([good, { ...good, agents: undefined }] as never)).toThrow(/^summarize: all\[1\]\.agents: expected an array of \{ agent, credit, stderr \}, got undefined$/);
    // A credit read from text would be concatenated into the mean: "0.5" + ... is a silent wrong number.
    expect(() => summarize([good, signals('b', true, { x: '0.5' as never })])).toThrow(/^summarize: all\[1\]\.agents\[0\]\.credit: expected a finite number or null, got "0\.5"$/);
    expect(() => summarize([good, { ...good, success: 'yes' }] as never)).toThrow(/^summarize: all\[1\]\.success: expected true or false, got "yes"$/);
    expect(() => summarize([{ ...good, success: false, firstError: { id: 'm0', agent: 'x', strategy: 'label' } }] as never)).toThrow(/^summarize: all\[0\]\.firstError\.index: expected the message index, an integer from 0, got undefined$/);
  });
});
