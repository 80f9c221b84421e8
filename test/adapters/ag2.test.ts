import { describe, expect, it } from 'vitest';
import { fromAG2 } from '../../src/episodes/adapters/ag2.js';
import { attributeEpisode } from '../../src/episodes/attribute.js';
import { parseEpisode } from '../../src/episodes/episode.js';
import { readJson } from '../support/fixtures.js';

describe('AG2 / AutoGen GroupChat adapter', () => {
  it('reads chat_history with the speaker in name; a tool response joins the turn of the agent that called the tool', () => {
    const episode = parseEpisode(fromAG2(readJson('test/fixtures/ag2-groupchat.json')));
    expect(episode.agents).toEqual(['Admin', 'Planner', 'Engineer', 'Executor', 'Critic']);
    expect(episode.context).toEqual([]);
    expect(episode.messages).toHaveLength(7);
    expect(episode.messages[4]).toMatchObject({ agent: 'Engineer', content: 'pip_install({"package": "yfinance"})\n[pip_install result] pip install failed: no network access in the sandbox' });
    expect(episode.messages.map((message) => message.label)).toEqual([undefined, undefined, undefined, 'error', undefined, 'corrective', undefined]);
  });

  it('a failed GroupChat yields the first error, repair-aware rewards and KTO rows', async () => {
    const signals = await attributeEpisode(fromAG2(readJson('test/fixtures/ag2-groupchat.json')));
    expect(signals.firstError).toEqual({ id: '3', index: 3, agent: 'Executor', strategy: 'label' });
    expect(signals.messages[3].reward).toBe(-1);
    expect(signals.messages[5].reward).toBeGreaterThan(0);
    expect(signals.preferences.filter((preference) => preference.type === 'unpaired').map((preference) => (preference as { label: boolean }).label)).toEqual([false, true]);
  });

  it('also takes groupchat.messages ({ messages }); `agents` makes the human proxy context', () => {
    const { chat_history: messages, ...rest } = readJson('test/fixtures/ag2-groupchat.json') as Record<string, unknown>;
    expect(parseEpisode(fromAG2({ ...rest, messages })).messages).toHaveLength(7);
    const episode = parseEpisode(fromAG2({ ...rest, messages }, { agents: ['Planner', 'Engineer', 'Executor', 'Critic'] }));
    expect(episode.context).toEqual(['Admin']);
  });
});
