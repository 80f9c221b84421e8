import { describe, expect, it } from 'vitest';
import { MESSAGE_LABELS, type EpisodeMessage } from '../src/episodes/episode.js';
import { failureRewards } from '../src/episodes/repair.js';
import { seededRandom } from './support/episodes.js';

function randomRun(seed: number): { messages: EpisodeMessage[]; firstError: number } {
  const random = seededRandom(seed);
  const count = 2 + Math.floor(random() * 12);
  const firstError = Math.floor(random() * count);
  const messages = Array.from({ length: count }, (_, m): EpisodeMessage => {
    const message: EpisodeMessage = { id: `m${m}`, agent: `a${m % 3}`, content: '' };
    if (random() < 0.6) message.label = MESSAGE_LABELS[Math.floor(random() * MESSAGE_LABELS.length)];
    if (random() < 0.5) message.score = Math.round((2 * random() - 1) * 100) / 100;
    return message;
  });
  return { messages, firstError };
}

describe('repair-aware rewards of a failed episode', () => {
  const runs = Array.from({ length: 500 }, (_, seed) => randomRun(seed));

  it('the first error gets the most negative reward; earlier messages are not punished; all within the bound', () => {
    for (const bound of [1, 0.3]) {
      for (const { messages, firstError } of runs) {
        const rewards = failureRewards(messages, firstError, bound);
        expect(rewards[firstError]).toBe(-bound);
        rewards.forEach((reward, m) => {
          expect(Math.abs(reward)).toBeLessThanOrEqual(bound);
          if (m !== firstError) expect(reward).toBeGreaterThan(-bound);
          if (m < firstError) expect(reward).toBeGreaterThanOrEqual(0);
        });
      }
    }
  });

  it('messages that build on the standing error are negative; corrective attempts are positive', () => {
    for (const { messages, firstError } of runs) {
      const rewards = failureRewards(messages, firstError, 1);
      let standing = true;
      for (let m = firstError + 1; m < messages.length; m++) {
        const label = messages[m].label;
        if (label === 'corrective') {
          expect(rewards[m]).toBeGreaterThan(0);
          standing = false;
        } else if (standing || label === 'error' || label === 'harmful') {
          expect(rewards[m]).toBeLessThan(0);
          standing = true;
        } else expect(rewards[m]).toBeGreaterThanOrEqual(0);
      }
    }
  });

  it('raising one message score never lowers its reward', () => {
    for (const { messages, firstError } of runs.slice(0, 200)) {
      const before = failureRewards(messages, firstError, 1);
      messages.forEach((message, m) => {
        if (message.score === undefined || message.score >= 1) return;
        const raised = messages.map((other, k) => (k === m ? { ...other, score: Math.min(1, other.score! + 0.3) } : other));
        expect(failureRewards(raised, firstError, 1)[m]).toBeGreaterThanOrEqual(before[m]);
      });
    }
  });

  it('follows the documented formulas', () => {
    const run: EpisodeMessage[] = [
      { id: '0', agent: 'a', content: '', label: 'helpful', score: 1 },
      { id: '1', agent: 'b', content: '', label: 'error' },
      { id: '2', agent: 'a', content: '' },
      { id: '3', agent: 'c', content: '', label: 'corrective', score: 1 },
      { id: '4', agent: 'a', content: '', label: 'neutral' },
      { id: '5', agent: 'b', content: '', label: 'harmful', score: -1 },
      { id: '6', agent: 'a', content: '', label: 'helpful', score: 1 },
    ];
    expect(Array.from(failureRewards(run, 1, 1))).toEqual([0.5, -1, -0.5, 0.5, 0, -0.75, -0.25]);
  });

  it('refuses a first error that is no message, a missing bound and scores outside [-1, 1]', () => {
    const run: EpisodeMessage[] = [{ id: '0', agent: 'a', content: '' }, { id: '1', agent: 'b', content: '', label: 'error' }];
    for (const firstError of [2, -1, 1.5, NaN, '1']) {
      expect(() => failureRewards(run, firstError as number, 1)).toThrow(/^failureRewards: firstError: expected the index of the first error, an integer from 0 to 1, got /);
    }
    expect(() => (failureRewards as (...args: unknown[]) => unknown)(run, 1)).toThrow(/failureRewards: bound: expected the largest \|reward\| as a finite number > 0, got undefined/);
    expect(() => failureRewards(run, 1, '1' as never)).toThrow(/bound: .*got "1"/);
    expect(() => failureRewards([{ ...run[0], score: 5 }, run[1]], 1, 1)).toThrow(/messages\[0\]\.score: expected the judge's helpfulness score in \[-1, 1\], got 5/);
    expect(() => failureRewards(null as never, 0, 1)).toThrow(/messages: expected an array of messages, got null/);
    expect(() => failureRewards(run, 1, 1, 'a' as never)).toThrow(/players: expected the players' names as an array of strings, got "a"/);
  });
});
