import { describe, expect, it } from 'vitest';
import { fromAutoGen } from '../../src/episodes/adapters/autogen.js';
import { attributeEpisode } from '../../src/episodes/attribute.js';
import { parseEpisode } from '../../src/episodes/episode.js';
import { readJson } from '../support/fixtures.js';

describe('AutoGen AgentChat TaskResult adapter', () => {
  it('takes the agent from source, the task from the first user message, tool events as text', () => {
    const episode = parseEpisode(fromAutoGen(readJson('test/fixtures/autogen-taskresult.json')));
    expect(episode.agents).toEqual(['user', 'planning_agent', 'web_search_agent', 'data_analyst_agent']);
    expect(episode.task).toMatch(/^Who was the Miami Heat player/);
    expect(episode.messages[2].content).toBe('search_web_tool({"query":"Miami Heat highest points player 2006-2007 season"})');
    expect(episode.messages[3].content).toBe('Dwyane Wade led the team with 1397 points.');
    expect(episode.messages[0].id).toBe('7f1c2d0e-0001');
  });

  it('gives per-message rewards that conserve each agent credit', async () => {
    const signals = await attributeEpisode(fromAutoGen(readJson('test/fixtures/autogen-taskresult.json')));
    expect(signals.agents.map((agent) => agent.credit)).toEqual([0, expect.closeTo(0.15, 12), expect.closeTo(0.6, 12), expect.closeTo(0.25, 12)]);
    const search = signals.messages.filter((message) => message.agent === 'web_search_agent');
    expect(search.reduce((sum, message) => sum + message.reward, 0)).toBeCloseTo(0.6, 9);
  });

  it('names the message without a source', () => {
    expect(() => fromAutoGen({ messages: [{ content: 'x', type: 'TextMessage' }], outcome: { score: 0, success: false } })).toThrow(/messages\[0\]\.source: expected a non-empty string/);
  });
});
