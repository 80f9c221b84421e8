import { describe, expect, it } from 'vitest';
import { shapley } from '../src/index.js';

describe('shapley', () => {
  it('computes the README example', async () => {
    const game = { players: ['planner', 'coder', 'critic'], values: Float64Array.of(0, 0.2, 0.3, 0.7, 0.1, 0.4, 0.5, 1) };
    const result = await shapley(game, { method: 'exact' });
    expect(Array.from(result.values)).toEqual([expect.closeTo(0.35, 12), expect.closeTo(0.45, 12), expect.closeTo(0.2, 12)]);
  });
});
