// Context speakers (user, system, tools): part of every transcript, prompt and
// counterfactual; never players, never blamed, no reward rows.
import { describe, expect, it } from 'vitest';
import { ablate } from '../src/episodes/ablate.js';
import { attributeEpisode, attributeEpisodes } from '../src/episodes/attribute.js';
import { EpisodeError, parseEpisode } from '../src/episodes/episode.js';
import { toKto, toPrm, toRewards } from '../src/episodes/export.js';
import { findFirstError } from '../src/episodes/first-error.js';
import { failureRewards } from '../src/episodes/repair.js';
import { randomEpisode } from './support/episodes.js';

const withContext = () => ({
  id: 'ctx-1',
  task: 'book a flight',
  agents: ['planner', 'booker'],
  context: ['user', 'search_tool'],
  messages: [
    { id: 'u0', agent: 'user', content: 'I need a flight to Oslo on Friday' },
    { id: 'p1', agent: 'planner', content: 'search flights', label: 'helpful' },
    { id: 't2', agent: 'search_tool', content: 'SK123 09:00, DY456 12:00' },
    { id: 'b3', agent: 'booker', content: 'booked SK123', label: 'helpful' },
    { id: 'u4', agent: 'user', content: 'thanks' },
  ],
  outcome: { score: 1, success: true },
  coalitions: [
    { agents: [], value: 0 },
    { agents: ['planner'], value: 0.25 },
    { agents: ['booker'], value: 0.5 },
    { agents: ['planner', 'booker'], value: 1 },
  ],
});

function errorOf(value: unknown): EpisodeError {
  try {
    parseEpisode(value);
  } catch (error) {
    expect(error).toBeInstanceOf(EpisodeError);
    return error as EpisodeError;
  }
  throw new Error('expected an EpisodeError');
}

describe('episode context', () => {
  it('keeps context speakers out of the players; old records get an empty context', () => {
    const episode = parseEpisode(withContext());
    expect(episode.agents).toEqual(['planner', 'booker']);
    expect(episode.context).toEqual(['user', 'search_tool']);
    expect(episode.table!.length).toBe(4);
    const { context: _, ...old } = withContext();
    expect(parseEpisode({ ...old, messages: old.messages.filter((message) => message.agent !== 'user' && message.agent !== 'search_tool') }).context).toEqual([]);
  });

  it('a speaker in neither list stays an error, with or without context', () => {
    const { context: _, ...old } = withContext();
    expect(errorOf(old).message).toMatch(/messages\[0\]\.agent: unknown agent "user"; expected one of planner, booker$/m);
    const record = withContext();
    record.messages.push({ id: 'x', agent: 'critic', content: 'hm' });
    expect(errorOf(record).message).toMatch(/messages\[5\]\.agent: unknown agent "critic"; expected one of planner, booker \(players\) or user, search_tool \(context\)/);
  });

  it('refuses a speaker listed twice, in both lists, in a coalition or repaired', () => {
    expect(errorOf({ ...withContext(), context: ['user', 'user', 'search_tool'] }).message).toMatch(/context\[1\]: duplicate context speaker "user"/);
    expect(errorOf({ ...withContext(), context: ['user', 'search_tool', 'planner'] }).message).toMatch(/context\[2\]: "planner" is listed in agents too/);
    expect(errorOf({ ...withContext(), context: 'user' }).message).toMatch(/context: expected context as an array of speaker names/);
    const coalition = withContext();
    coalition.coalitions[1].agents.push('user');
    expect(errorOf(coalition).message).toMatch(/coalitions\[1\]\.agents\[1\]: "user" is context, not a player/);
    expect(errorOf({ ...withContext(), repairs: [{ message: 't2', content: 'other results' }] }).message).toMatch(
      /repairs\[0\]\.message: message "t2" is by "search_tool", a context speaker; only players' messages take repairs/,
    );
  });

  it('ablate keeps every context message in every counterfactual', () => {
    const episode = parseEpisode(withContext());
    expect(ablate(episode, []).messages.map((message) => message.id)).toEqual(['u0', 't2', 'u4']);
    expect(ablate(episode, ['booker'])).toMatchObject({ agents: ['booker'], context: ['user', 'search_tool'] });
    expect(ablate(episode, ['booker']).messages.map((message) => message.id)).toEqual(['u0', 't2', 'b3', 'u4']);
    expect(() => ablate(episode, ['user'])).toThrow(/agents\[0\]: "user" is context, not a player/);
  });

  it('a success splits the players credit over their own messages only; context gets no reward rows', async () => {
    const signals = await attributeEpisode(withContext());
    // Shapley on {planner: 0.25, booker: 0.5, both: 1}: planner 0.375, booker 0.625.
    expect(signals.agents.map((agent) => agent.agent)).toEqual(['planner', 'booker']);
    expect(signals.agents[0].credit).toBeCloseTo(0.375, 12);
    expect(signals.agents[1].credit).toBeCloseTo(0.625, 12);
    expect(signals.messages.map((message) => message.id)).toEqual(['p1', 'b3']);
    expect(signals.messages[0].reward).toBeCloseTo(0.375, 12);
    expect(signals.messages[1].reward).toBeCloseTo(0.625, 12);
    expect(toRewards(signals, withContext()).map((row) => row.agent)).toEqual(['planner', 'booker']);
    const [batch] = await attributeEpisodes([withContext()]);
    expect(batch).toEqual(signals);
  });

  it('a context message is never the first error: labels, prefix values and binary search blame players', async () => {
    const failure = { ...withContext(), outcome: { score: 0, success: false }, coalitions: undefined };
    failure.messages = failure.messages.map((message) => ({ ...message }));
    (failure.messages[2] as Record<string, unknown>).label = 'error';
    (failure.messages[3] as Record<string, unknown>).label = 'harmful';
    const byLabel = await attributeEpisode(failure, { strategy: 'label' });
    expect(byLabel.firstError).toMatchObject({ id: 'b3', index: 3, agent: 'booker', strategy: 'label' });
    expect(byLabel.messages.map((message) => message.id)).toEqual(['p1', 'b3']);
    expect(byLabel.messages[1].reward).toBe(-1);

    // The success probability falls when the tool's answer comes in: the booker, who acts on it next, is blamed.
    const values = [0.9, 0.8, 0.2, 0.2, 0.1];
    const dropped = { ...failure, messages: failure.messages.map(({ label: _, ...message }, m) => ({ ...message, prefixValue: values[m] })) };
    const byValue = await attributeEpisode(dropped, { strategy: 'prefixValue' });
    expect(byValue.firstError).toMatchObject({ id: 'b3', index: 3, agent: 'booker', strategy: 'prefixValue' });

    // A fall at a player's own message is that message's.
    const own = parseEpisode({ ...dropped, messages: dropped.messages.map((message, m) => ({ ...message, prefixValue: [0.9, 0.1, 0.1, 0.1, 0.1][m] })) });
    expect((await findFirstError(own.messages, { strategy: 'prefixValue', players: own.agents }))?.index).toBe(1);
    // A fall at the last messages, all context, leaves no player to blame.
    const late = parseEpisode({ ...dropped, messages: dropped.messages.map((message, m) => ({ ...message, prefixValue: [0.9, 0.9, 0.9, 0.9, 0.1][m] })) });
    expect(await findFirstError(late.messages, { strategy: 'prefixValue', players: late.agents })).toBeNull();

    // Binary search bisects player prefixes only: the oracle is asked about prefixes that end with a player's message.
    const asked: number[] = [];
    const lostAfter = 4; // lost once the booker's message (index 3) is in
    const searched = await attributeEpisode(failure, {
      strategy: 'binarySearch',
      isRecoverable: (length) => {
        asked.push(length);
        return length < lostAfter;
      },
    });
    expect(searched.firstError).toMatchObject({ id: 'b3', index: 3, strategy: 'binarySearch' });
    expect(asked.every((length) => length === 2 || length === 4)).toBe(true);
  });

  it('repair-aware rewards pass over context messages', () => {
    const messages = [
      { id: 'a', agent: 'p', content: '', label: 'error' as const },
      { id: 'b', agent: 'user', content: '', label: 'corrective' as const },
      { id: 'c', agent: 'p', content: '' },
    ];
    const rewards = failureRewards(messages, 0, 1, ['p']);
    expect(rewards[1]).toBe(0);
    // The user's "corrective" does not clear the error: the next player message still builds on it.
    expect(rewards[2]).toBeLessThan(0);
  });

  it('preferences and exports: context turns are in the prompts, never completions or steps', async () => {
    const record = { ...withContext(), outcome: { score: 0, success: false }, coalitions: undefined, repairs: [{ message: 'b3', content: 'booked DY456' }] };
    const signals = await attributeEpisode(record, { strategy: 'label' });
    const pair = signals.preferences.find((preference) => preference.type === 'pair')!;
    // booker's view: everyone else's messages, the context speakers' too, in one user turn after the system turn.
    expect(pair.type === 'pair' && pair.prompt.map((turn) => turn.role)).toEqual(['system', 'user']);
    expect(pair.prompt[1].content).toBe('book a flight\n\n[user] I need a flight to Oslo on Friday\n\n[planner] search flights\n\n[search_tool] SK123 09:00, DY456 12:00');
    for (const row of toKto(signals)) expect(row.completion[0].name).toBe('booker');

    const success = await attributeEpisode(withContext());
    const prm = toPrm(success, withContext());
    expect(prm.map((row) => row.agent)).toEqual(['planner', 'booker']);
    expect(prm[0].prompt).toMatch(/^You are planner\..*\nbook a flight\n\[user\] I need a flight to Oslo on Friday\n$/s);
    expect(prm[1].completions).toEqual(['[booker] booked SK123']);
    expect(prm[1].prompt).toMatch(/\n\[planner\] search flights\n\[search_tool\] SK123 09:00, DY456 12:00\n$/);
    expect(prm.map((row) => row.labels)).toEqual([[true], [true]]);
  });

  it('random episodes with context: every player message has one reward row, context none, credit conserved', async () => {
    for (let seed = 0; seed < 40; seed++) {
      const record = randomEpisode(seed, { context: 2, success: true, harmful: false });
      const signals = await attributeEpisode(record);
      const players = record.messages.filter((message) => !String(message.agent).startsWith('user'));
      expect(signals.messages.map((message) => message.id)).toEqual(players.map((message) => message.id));
      for (const agent of signals.agents) {
        const sum = signals.messages.filter((message) => message.agent === agent.agent).reduce((total, message) => total + message.reward, 0);
        expect(sum).toBeCloseTo(agent.credit!, 9);
      }
    }
  });
});
