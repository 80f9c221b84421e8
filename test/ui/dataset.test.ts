import { describe, expect, it } from 'vitest';
import type { Signals } from '../../src/episodes.js';
import { summarize } from '../../src/ui/dataset.js';

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
