import { describe, expect, it } from 'vitest';
import { attributeEpisode, attributeEpisodes, type Signals } from '../src/episodes/attribute.js';
import { ablate } from '../src/episodes/ablate.js';
import { EpisodeError, parseEpisode } from '../src/episodes/episode.js';
import { shapley } from '../src/attribution/shapley.js';
import { EvaluatorError } from '../src/evaluator/evaluator-error.js';
import { randomEpisode, seededRandom } from './support/episodes.js';
import { nullCreditTolerance } from '../src/episodes/refine.js';
import { plannedStandardErrors } from '../src/episodes/credit.js';

/** Random success episodes whose labels allow conservation within the default bound. */
function feasibleSuccess(count: number, offset: number) {
  const episodes = [];
  for (let seed = offset; episodes.length < count; seed++) {
    const record = randomEpisode(seed, { success: true });
    episodes.push(record);
  }
  return episodes;
}

describe('attributeEpisode', () => {
  it('returns the Signals shape of the issue', async () => {
    const signals = await attributeEpisode(randomEpisode(3, { success: true, agents: 3, harmful: false }));
    expect(Object.keys(signals)).toEqual(['id', 'success', 'agents', 'interactions', 'messages', 'firstError', 'preferences']);
    expect(Object.keys(signals.agents[0])).toEqual(['agent', 'credit', 'stderr']);
    expect(Object.keys(signals.messages[0])).toEqual(['id', 'agent', 'reward']);
    expect(signals.interactions).toHaveLength(3);
    expect(JSON.parse(JSON.stringify(signals))).toEqual(signals);
  });

  it('credit is the exact Shapley value of the coalition table; interactions are symmetric with a zero diagonal', async () => {
    for (let seed = 0; seed < 20; seed++) {
      const record = randomEpisode(seed, { harmful: false });
      const episode = parseEpisode(record);
      const signals = await attributeEpisode(record);
      const reference = await shapley({ players: episode.agents, values: episode.table! });
      signals.agents.forEach((agent, i) => expect(agent.credit).toBeCloseTo(reference.values[i], 12));
      const n = episode.agents.length;
      for (let i = 0; i < n; i++) {
        expect(signals.interactions![i][i]).toBe(0);
        for (let j = 0; j < n; j++) expect(signals.interactions![i][j]).toBeCloseTo(signals.interactions![j][i], 12);
      }
    }
  });

  it('success episodes: every agent conserves its credit, bounds and signs hold (property, 300 episodes)', async () => {
    let checked = 0;
    let infeasible = 0;
    for (const record of feasibleSuccess(300, 100)) {
      let signals: Signals;
      try {
        signals = await attributeEpisode(record, { bound: 1.5 });
      } catch (error) {
        // Only allowed when some agent's credit really cannot be split (e.g. positive credit, only harmful messages).
        expect(error).toBeInstanceOf(EpisodeError);
        expect((error as Error).message).toMatch(/cannot be split over its/);
        infeasible++;
        continue;
      }
      for (const { agent, credit } of signals.agents) {
        const mine = signals.messages.filter((message) => message.agent === agent);
        expect(Math.abs(mine.reduce((sum, message) => sum + message.reward, 0) - credit!)).toBeLessThanOrEqual(1e-9);
      }
      signals.messages.forEach((message, m) => {
        expect(Math.abs(message.reward)).toBeLessThanOrEqual(1.5 + 1e-12);
        const label = record.messages[m].label;
        if (label === 'harmful' || label === 'error') expect(message.reward).toBeLessThan(0);
      });
      checked++;
    }
    expect(checked).toBeGreaterThan(200);
    expect(infeasible).toBeGreaterThan(0);
  });

  it('failure episodes: first error from labels or prefixValue, most negative reward, nothing earlier punished', async () => {
    let located = 0;
    for (let seed = 0; seed < 200; seed++) {
      const record = randomEpisode(seed, { success: false });
      const signals = await attributeEpisode(record);
      if (!signals.firstError) continue;
      located++;
      const { index } = signals.firstError;
      const rewards = signals.messages.map((message) => message.reward);
      expect(rewards[index]).toBe(-1);
      expect(Math.min(...rewards)).toBe(-1);
      rewards.slice(0, index).forEach((reward) => expect(reward).toBeGreaterThanOrEqual(0));
      rewards.slice(index + 1).forEach((reward) => expect(reward).toBeGreaterThan(-1));
    }
    expect(located).toBeGreaterThan(150);
  });

  it('binary search with an oracle reports its calls and the strategy', async () => {
    const record = randomEpisode(9, { success: false, messages: 20 });
    const signals = await attributeEpisode(record, { isRecoverable: (prefix) => prefix <= 12 });
    expect(signals.firstError).toMatchObject({ index: 12, strategy: 'binarySearch' });
    expect(signals.firstError!.oracleCalls).toBeLessThanOrEqual(Math.ceil(Math.log2(20)) + 1);
  });

  it('with evaluate (a judge of ablated episodes): exact credit and interactions equal the table path', async () => {
    const record = randomEpisode(31, { success: true, agents: 4, harmful: false });
    const episode = parseEpisode(record);
    const fromTable = await attributeEpisode(episode);
    const seen: string[][] = [];
    const judge = async (coalition: string[]) => {
      const counterfactual = ablate(episode, coalition);
      seen.push(counterfactual.agents);
      let mask = 0;
      for (const agent of counterfactual.agents) mask |= 1 << episode.agents.indexOf(agent);
      return episode.table![mask];
    };
    const { coalitions: _, ...withoutTable } = record;
    const fromJudge = await attributeEpisode(withoutTable, { evaluate: judge, method: 'exact' });
    expect(seen).toHaveLength(16);
    fromJudge.agents.forEach((agent, i) => expect(agent.credit).toBeCloseTo(fromTable.agents[i].credit!, 12));
    fromJudge.interactions!.flat().forEach((value, k) => expect(value).toBeCloseTo(fromTable.interactions!.flat()[k], 12));
    expect(fromJudge.messages.map((message) => message.reward)).toEqual(fromTable.messages.map((message) => expect.closeTo(message.reward, 9)));
  });

  it('with evaluate and permutation sampling: credit with stderr, no interactions', async () => {
    const record = randomEpisode(32, { success: false, agents: 6 });
    const episode = parseEpisode(record);
    const { coalitions: _, ...withoutTable } = record;
    const evaluate = (coalition: string[]) => {
      let mask = 0;
      for (const agent of coalition) mask |= 1 << episode.agents.indexOf(agent);
      return episode.table![mask];
    };
    const signals = await attributeEpisode(withoutTable, { evaluate, method: 'permutation', budget: 40, seed: 3 });
    expect(signals.agents.every((agent) => typeof agent.credit === 'number' && typeof agent.stderr === 'number')).toBe(true);
    expect(signals.interactions).toBeNull();
  });

  it('a success episode without coalitions or evaluate is an error that says what is needed', async () => {
    const { coalitions: _, ...record } = randomEpisode(4, { success: true, agents: 3 });
    await expect(attributeEpisode(record)).rejects.toThrow(/episode "ep-4": coalitions: a successful episode needs the value of every coalition \(all 2\^3\) or an evaluate function/);
  });

  it('a failure without coalitions has null credit and no interactions', async () => {
    const { coalitions: _, ...record } = randomEpisode(5, { success: false });
    const signals = await attributeEpisode(record);
    expect(signals.agents.every((agent) => agent.credit === null && agent.stderr === null)).toBe(true);
    expect(signals.interactions).toBeNull();
  });

  /** n agents, one of them (at `silent`) a null player without messages; the others additive plus one pairwise synergy, all of size ~scale. */
  function silentNullEpisode(random: () => number, scale: number, silentFirst: boolean) {
    const n = 3 + Math.floor(random() * 6);
    const agents = Array.from({ length: n }, (_, i) => `a${i}`);
    const silent = silentFirst ? 0 : n - 1;
    const weights = agents.map((_, i) => (i === silent ? 0 : random() * scale));
    const pair = random() * scale;
    const first = silentFirst ? 1 : 0;
    const v = (mask: number) => {
      let sum = 0;
      for (let i = 0; i < n; i++) if (mask & (1 << i)) sum += weights[i];
      return ((mask >> first) & 3) === 3 ? sum + pair : sum;
    };
    const coalitions = Array.from({ length: 2 ** n }, (_, mask) => ({ agents: agents.filter((_, i) => mask & (1 << i)), value: v(mask) }));
    const messages = agents.filter((_, i) => i !== silent).map((agent) => ({ agent, content: '' }));
    return { record: { id: 'null', agents, messages, outcome: { score: v(2 ** n - 1), success: true }, coalitions }, silent, n };
  }

  it('a silent null agent is accepted at any scale of the values (1e-6 to 1e12): the tolerance follows the rounding', async () => {
    const random = seededRandom(11);
    for (const scale of [1e-6, 1, 1e4, 1e6, 1e8, 1e12]) {
      for (let k = 0; k < 60; k++) {
        const { record, silent, n } = silentNullEpisode(random, scale, k % 2 === 0);
        const signals = await attributeEpisode(record, { bound: 1e13 });
        const credit = signals.agents[silent].credit!;
        expect(Math.abs(credit)).toBeLessThanOrEqual(nullCreditTolerance(n, 2 * 8 * scale));
      }
    }
    // The reviewer's case: values ~1e8, the silent agent's credit rounds to -1.49e-8.
    const f = (mask: number) => (mask & 1 ? 1e8 + 0.1 : 0) + (mask & 2 ? 3e7 + 0.3 : 0);
    const agents = ['a', 'b', 'c'];
    const coalitions = Array.from({ length: 8 }, (_, mask) => ({ agents: agents.filter((_, i) => mask & (1 << i)), value: f(mask) }));
    const signals = await attributeEpisode({ id: 'n', agents, messages: [{ agent: 'a', content: '' }, { agent: 'b', content: '' }], outcome: { score: f(7), success: true }, coalitions }, { bound: 1e9 });
    expect(signals.agents[2].credit).not.toBe(0);
    expect(signals.messages.map((message) => message.reward)).toEqual([expect.closeTo(1e8 + 0.1, 6), expect.closeTo(3e7 + 0.3, 6)]);
  });

  it('a silent agent with real credit is still refused, at any scale', async () => {
    for (const scale of [1e-6, 1, 1e8, 1e12]) {
      const v = (mask: number) => ((mask & 1 ? 1 : 0) + (mask & 2 ? 1e-6 : 0)) * scale;
      const agents = ['a', 'b'];
      const coalitions = Array.from({ length: 4 }, (_, mask) => ({ agents: agents.filter((_, i) => mask & (1 << i)), value: v(mask) }));
      await expect(attributeEpisode({ id: 's', agents, messages: [{ agent: 'a', content: '' }], outcome: { score: v(3), success: true }, coalitions }, { bound: 1e13 }))
        .rejects.toThrow(/agent "b" has credit .* but no messages to carry it/);
    }
  });

  it('with a sampled credit, a silent null agent within its estimator noise is accepted', async () => {
    const agents = Array.from({ length: 12 }, (_, i) => `a${i}`);
    const weights = agents.map((_, i) => i / 10);
    const evaluate = (coalition: string[]) => coalition.reduce((sum, agent) => sum + weights[agents.indexOf(agent)], 0) + (coalition.includes('a1') && coalition.includes('a2') ? 0.3 : 0);
    const record = { id: 'x', agents, messages: agents.slice(1).map((agent) => ({ agent, content: '' })), outcome: { score: evaluate(agents), success: true } };
    const signals = await attributeEpisode(record, { bound: 100, method: 'msr', budget: 500, evaluate });
    expect(signals.agents[0].credit).not.toBe(0);
    expect(signals.messages).toHaveLength(11);
  });

  it('sampled credit whose standard error the budget leaves unknown is an error naming options.budget, never null (which reads as exact)', async () => {
    const episode = { id: 'e', agents: ['a', 'b', 'c'], messages: [{ agent: 'a', content: 'x' }, { agent: 'b', content: 'y' }], outcome: { score: 1, success: true } };
    const evaluate = (coalition: string[]) => coalition.length / 3;
    await expect(attributeEpisode(episode, { evaluate, budget: 3 })).rejects.toThrow(/options\.budget: a budget of 3 leaves the standard error of agent "a"'s sampled credit unknown .* up to 2\^3 = 8 for exact credit/);
    const sampled = await attributeEpisode(episode, { evaluate, budget: 5 });
    for (const agent of sampled.agents) expect(agent.stderr).toBeGreaterThan(0);
    expect(sampled.agents.every((agent) => Number.isFinite(agent.stderr))).toBe(true);
  });

  it('a budget too small for every standard error fails before evaluate is called once', async () => {
    const episode = { id: 'e', agents: ['a', 'b', 'c'], messages: [{ agent: 'a', content: 'x' }, { agent: 'b', content: 'y' }], outcome: { score: 1, success: true } };
    let calls = 0;
    const evaluate = (coalition: string[]) => (calls++, coalition.length / 3);
    await expect(attributeEpisode(episode, { evaluate, budget: 3 })).rejects.toThrow(/options\.budget: a budget of 3 leaves the standard error/);
    expect(calls).toBe(0);
  });

  it('the standard errors planned on a game worth 0 are defined exactly where the real run\'s are (methods, budgets, seeds)', async () => {
    const random = seededRandom(41);
    for (let trial = 0; trial < 80; trial++) {
      const n = 3 + (trial % 6);
      const players = Array.from({ length: n }, (_, i) => `p${i}`);
      const weights = players.map(() => random() * 2 - 1);
      const evaluate = (coalition: string[]) => coalition.reduce((sum, player) => sum + weights[players.indexOf(player)], 0) + random() * 0.1;
      const method = (['msr', 'kernel', 'svarm', 'permutation', 'stratified'] as const)[trial % 5];
      const options = { method, budget: 2 + Math.floor(random() * (2 ** n - 2)), seed: trial };
      const planned = await plannedStandardErrors(players, options).catch((error: Error) => error);
      const real = await shapley({ players, evaluate }, options).catch((error: Error) => error);
      // A budget the method cannot run on is refused the same way, before anything is evaluated.
      if (planned instanceof Error || real instanceof Error) {
        expect((planned as Error).message, JSON.stringify(options)).toBe((real as Error).message);
        continue;
      }
      expect(planned && Array.from(planned, Number.isFinite), JSON.stringify(options)).toEqual(real.stderr && Array.from(real.stderr, Number.isFinite));
    }
  });

  it('credit that overflows (finite values, infinite sums) is an error naming the field, never null credit', async () => {
    const agents = ['a', 'b'];
    const values = [0, -1.7e308, 1.7e308, 1e308];
    const coalitions = values.map((value, mask) => ({ agents: agents.filter((_, i) => mask & (1 << i)), value }));
    for (const success of [true, false]) {
      const record = { id: 'h', agents, messages: [{ agent: 'a', content: '' }, { agent: 'b', content: '', label: 'error' }], outcome: { score: 1e308, success }, coalitions };
      await expect(attributeEpisode(record, { bound: 1e308 })).rejects.toThrow(/episode "h": coalitions: the Shapley value of agent "a" is -?Infinity: .*overflow/);
      await expect(attributeEpisodes([record], { bound: 1e308 })).rejects.toThrow(/coalitions: the Shapley value of agent "a" is/);
    }
  });

  it('validates options', async () => {
    await expect(attributeEpisode(randomEpisode(1), { bound: 0 })).rejects.toThrow(/options: bound: expected bound as a positive number, got 0/);
    await expect(attributeEpisode(randomEpisode(1), { strategy: 'guess' as 'label' })).rejects.toThrow(/options: strategy: expected label, prefixValue or binarySearch; got "guess"/);
    // Sampling options are checked on an episode with coalitions too, which does not sample.
    await expect(attributeEpisode(randomEpisode(1), { method: 'perm' as 'permutation' })).rejects.toThrow(/options.*method/);
    await expect(attributeEpisode(randomEpisode(1), { budget: -1 })).rejects.toThrow(/options.*budget/);
  });
});

describe('attributeEpisodes', () => {
  it('gives the same signals as one episode at a time', async () => {
    const records = Array.from({ length: 40 }, (_, seed) => randomEpisode(500 + seed, { harmful: false }));
    const together = await attributeEpisodes(records);
    for (let k = 0; k < records.length; k++) expect(together[k]).toEqual(await attributeEpisode(records[k]));
  });

  it('an evaluate call that fails names the episode it was for, and keeps its cache to resume', async () => {
    const records = [0, 1, 2].map((seed) => {
      const { coalitions: _, ...record } = randomEpisode(700 + seed, { success: true, agents: 3, harmful: false });
      return record;
    });
    const failing = records[1]!.id as string;
    const error = await attributeEpisodes(records, {
      evaluate: (episode, coalition) => {
        if (episode.id === failing && coalition.length === 3) throw new Error('HTTP 503');
        return coalition.length;
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EvaluatorError);
    expect((error as EvaluatorError).message).toMatch(new RegExp(`^episodes\\[1\\], episode "${failing}": evaluate failed for coalition \\{[a-z0-9_, ]+\\}: HTTP 503$`, 'i'));
    expect((error as EvaluatorError).cache.size).toBeGreaterThan(0);
  });
});
