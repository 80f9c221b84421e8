import { describe, expect, it } from 'vitest';
import { attributeEpisode, attributeEpisodes, type Signals } from '../src/attribute.js';
import { ablate } from '../src/ablate.js';
import { EpisodeError, parseEpisode } from '../src/episode.js';
import { shapley } from '../src/shapley.js';
import { randomEpisode } from './support/episodes.js';

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

  it('validates options', async () => {
    await expect(attributeEpisode(randomEpisode(1), { bound: 0 })).rejects.toThrow(/options: bound: expected bound as a positive number, got 0/);
    await expect(attributeEpisode(randomEpisode(1), { strategy: 'guess' as 'label' })).rejects.toThrow(/options: strategy: expected label, prefixValue or binarySearch; got "guess"/);
  });
});

describe('attributeEpisodes', () => {
  it('gives the same signals as one episode at a time', async () => {
    const records = Array.from({ length: 40 }, (_, seed) => randomEpisode(500 + seed, { harmful: false }));
    const together = await attributeEpisodes(records);
    for (let k = 0; k < records.length; k++) expect(together[k]).toEqual(await attributeEpisode(records[k]));
  });
});
