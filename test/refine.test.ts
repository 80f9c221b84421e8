import { describe, expect, it } from 'vitest';
import { InputError } from '../src/core/errors.js';
import { MESSAGE_LABELS, type EpisodeMessage } from '../src/episodes/episode.js';
import { DAMAGE_MARGIN, messageQuality, splitCredit, successRewards } from '../src/episodes/refine.js';
import { seededRandom } from './support/episodes.js';

function randomMessages(random: () => number, count: number, labelled = 0.7): EpisodeMessage[] {
  return Array.from({ length: count }, (_, m) => {
    const message: EpisodeMessage = { id: `m${m}`, agent: 'a', content: '' };
    if (random() < labelled) message.label = MESSAGE_LABELS[Math.floor(random() * MESSAGE_LABELS.length)];
    if (random() < 0.5) message.score = Math.round((2 * random() - 1) * 100) / 100;
    return message;
  });
}

/** The range the rewards of these messages can sum to (the rule's feasibility condition). */
function reachable(messages: EpisodeMessage[], bound: number): [number, number] {
  let high = 0;
  for (const message of messages) high += message.label === 'harmful' || message.label === 'error' ? -bound * DAMAGE_MARGIN : bound;
  return [-bound * messages.length, high];
}

const sum = (values: Float64Array) => values.reduce((a, b) => a + b, 0);

describe('splitCredit (message rewards in a success episode)', () => {
  const cases = Array.from({ length: 600 }, (_, seed) => {
    const random = seededRandom(1000 + seed);
    const bound = [1, 0.5, 2][seed % 3];
    const messages = randomMessages(random, 1 + Math.floor(random() * 9));
    const [low, high] = reachable(messages, bound);
    const credit = low + (high - low) * random();
    return { seed, bound, messages, credit };
  });

  it('conserves the credit, stays within the bound, signs harmful/error negative (600 random agents)', () => {
    for (const { bound, messages, credit } of cases) {
      const rewards = splitCredit(credit, messages, bound);
      expect(Math.abs(sum(rewards) - credit)).toBeLessThanOrEqual(1e-9);
      messages.forEach((message, m) => {
        expect(Math.abs(rewards[m])).toBeLessThanOrEqual(bound + 1e-12);
        if (message.label === 'harmful' || message.label === 'error') expect(rewards[m]).toBeLessThan(0);
      });
    }
  });

  it('a redundant message never gets more than any helpful message of the same agent, even with a higher score', () => {
    let compared = 0;
    for (const { bound, messages, credit } of cases) {
      const rewards = splitCredit(credit, messages, bound);
      messages.forEach((redundant, r) => {
        if (redundant.label !== 'redundant') return;
        messages.forEach((helpful, h) => {
          if (helpful.label !== 'helpful') return;
          expect(rewards[r]).toBeLessThanOrEqual(rewards[h] + 1e-12);
          compared++;
        });
      });
    }
    expect(compared).toBeGreaterThan(50);
  });

  it('harmful messages are negative even when the credit is large and positive', () => {
    const messages: EpisodeMessage[] = [
      { id: 'a', agent: 'x', content: '', label: 'helpful' },
      { id: 'b', agent: 'x', content: '', label: 'harmful', score: 0.9 },
      { id: 'c', agent: 'x', content: '' },
    ];
    const rewards = splitCredit(1.4, messages, 1);
    expect(rewards[1]).toBeLessThan(0);
    expect(sum(rewards)).toBeCloseTo(1.4, 12);
  });

  it('raising one message score never lowers its reward (monotone)', () => {
    let checked = 0;
    for (const { bound, messages, credit } of cases.slice(0, 300)) {
      const before = splitCredit(credit, messages, bound);
      messages.forEach((message, m) => {
        const current = message.score ?? -1;
        for (const raised of [current + 0.1, current + 0.5, 1]) {
          if (raised > 1) continue;
          const changed = messages.map((other, k) => (k === m ? { ...other, score: raised } : other));
          const [low, high] = reachable(changed, bound);
          if (credit < low || credit > high) continue;
          const after = splitCredit(credit, changed, bound);
          if (message.score !== undefined) expect(after[m]).toBeGreaterThanOrEqual(before[m] - 1e-12);
          checked++;
        }
      });
    }
    expect(checked).toBeGreaterThan(500);
  });

  it('messages without labels or scores share the credit evenly', () => {
    const random = seededRandom(5);
    for (let k = 1; k <= 12; k++) {
      const credit = (random() * 2 - 1) * k * 0.9;
      const messages = Array.from({ length: k }, (_, m): EpisodeMessage => ({ id: String(m), agent: 'a', content: '' }));
      for (const reward of splitCredit(credit, messages, 1)) expect(reward).toBeCloseTo(credit / k, 12);
    }
  });

  it('is a projection: with no bound active, rewards are the quality targets shifted by one constant', () => {
    const messages: EpisodeMessage[] = [
      { id: 'a', agent: 'x', content: '', label: 'helpful', score: 1 },
      { id: 'b', agent: 'x', content: '', label: 'neutral' },
      { id: 'c', agent: 'x', content: '', label: 'redundant', score: -1 },
    ];
    const rewards = splitCredit(0.3, messages, 1);
    // targets (bound/2) * q = 0.5, 0, -0.25; shift = (0.3 - 0.25) / 3
    const shift = (0.3 - 0.25) / 3;
    expect(Array.from(rewards)).toEqual([0.5 + shift, shift, -0.25 + shift].map((x) => expect.closeTo(x, 12)));
  });

  it('says so when the credit cannot be conserved within the bounds', () => {
    const harmfulOnly: EpisodeMessage[] = [{ id: 'a', agent: 'coder', content: '', label: 'harmful' }];
    expect(() => splitCredit(0.2, harmfulOnly, 1, 'coder')).toThrow(InputError);
    expect(() => splitCredit(0.2, harmfulOnly, 1, 'coder')).toThrow(/agent "coder": credit 0.2 cannot be split over its 1 message\(s\).*harmful\/error message\(s\) negative.*The labels contradict the credit/);
    const two: EpisodeMessage[] = [{ id: 'a', agent: 'x', content: '' }, { id: 'b', agent: 'x', content: '' }];
    expect(() => splitCredit(2.5, two, 1, 'x')).toThrow(/sum to a value in \[-2, 2\]/);
    expect(() => splitCredit(0.5, [], 1, 'silent')).toThrow(/agent "silent" has credit 0.5 but no messages/);
    expect(splitCredit(0, [], 1)).toHaveLength(0);
  });

  it('refuses credit that is not a finite number (NaN slips through a range check)', () => {
    const one: EpisodeMessage[] = [{ id: 'a', agent: 'x', content: '' }];
    for (const credit of [NaN, Infinity, -Infinity]) {
      expect(() => splitCredit(credit, one, 1e308, 'x')).toThrow(new RegExp(`agent "x": credit ${credit} is not a finite number`));
      expect(() => splitCredit(credit, [], 1, 'x')).toThrow(/is not a finite number/);
    }
  });

  it('an agent without messages may have credit within the given tolerance', () => {
    expect(splitCredit(2e-8, [], 1, 'silent', 1e-7)).toHaveLength(0);
    expect(() => splitCredit(2e-7, [], 1, 'silent', 1e-7)).toThrow(/credit 2e-7 but no messages to carry it .*within 1.00e-7/);
  });

  it('successRewards splits each agent over its own messages', () => {
    const messages: EpisodeMessage[] = [
      { id: '0', agent: 'a', content: '' }, { id: '1', agent: 'b', content: '' }, { id: '2', agent: 'a', content: '' },
    ];
    expect(Array.from(successRewards(['a', 'b'], [0.6, 0.4], messages, 1))).toEqual([0.3, 0.4, 0.3].map((x) => expect.closeTo(x, 12)));
  });

  it('refuses arguments a caller without types can pass: a missing bound, scores outside [-1, 1], unknown labels', () => {
    const one: EpisodeMessage[] = [{ id: 'a', agent: 'x', content: '' }, { id: 'b', agent: 'x', content: '' }];
    expect(() => (splitCredit as (...args: unknown[]) => unknown)(1, one)).toThrow(/splitCredit: bound: expected the largest \|reward\| as a finite number > 0, got undefined/);
    for (const bound of [0, -1, NaN, Infinity, '1']) expect(() => splitCredit(0.5, one, bound as number)).toThrow(/^splitCredit: bound: /);
    expect(() => splitCredit(0.5, [{ ...one[0], score: 5 }, one[1]], 1)).toThrow(/splitCredit: messages\[0\]\.score: expected the judge's helpfulness score in \[-1, 1\], got 5/);
    expect(() => splitCredit(0.5, [one[0], { ...one[1], label: 'good' as never }], 1)).toThrow(/messages\[1\]\.label: expected one of helpful, .*; got "good"/);
    expect(() => splitCredit(0.5, null as never, 1)).toThrow(/messages: expected an array of messages, got null/);
    expect(() => splitCredit(0.5, [null as never], 1)).toThrow(/messages\[0\]: expected a message/);
    expect(() => splitCredit(0, [], 1, 'x', -1)).toThrow(/tolerance: expected a finite number >= 0, got -1/);
    expect(() => splitCredit(0, [], 1, 'x', NaN)).toThrow(/tolerance: expected a finite number >= 0, got NaN/);
  });

  it('messageQuality stays in [-1, 1] or says which field is wrong', () => {
    expect(messageQuality({ label: 'helpful', score: 1 })).toBe(1);
    expect(messageQuality({})).toBe(0);
    expect(() => messageQuality({ label: 'helpful', score: 5 })).toThrow(/messageQuality: message\.score: expected the judge's helpfulness score in \[-1, 1\], got 5/);
    expect(() => messageQuality({ score: NaN })).toThrow(/message\.score: expected the judge's helpfulness score as a finite number in \[-1, 1\], got NaN/);
    expect(() => messageQuality({ score: '0.5' as never })).toThrow(/message\.score: .*got "0.5"/);
    expect(() => messageQuality({ label: 'good' as never })).toThrow(/message\.label: expected one of helpful/);
    expect(() => messageQuality(null as never)).toThrow(/messageQuality: message: expected a message \{ label\?, score\?, prefixValue\?, ... \}, got null/);
  });
});
