import { describe, expect, it, vi } from 'vitest';
import { fromAutoGen } from '../../src/episodes/adapters/autogen.js';
import { attributeEpisode } from '../../src/episodes/attribute.js';
import { parseEpisode } from '../../src/episodes/episode.js';
import { readJson } from '../support/fixtures.js';

describe('AutoGen AgentChat TaskResult adapter', () => {
  it('takes the agent from source, the task from the first user message; tool results join the calling turn once', () => {
    const record = readJson('test/fixtures/autogen-taskresult.json') as Record<string, unknown>;
    // The fixture's coalition table names the user as a player, so the table's game is kept.
    expect(parseEpisode(fromAutoGen(record)).agents).toEqual(['user', 'planning_agent', 'web_search_agent', 'data_analyst_agent']);
    const { coalitions: _table, ...plain } = record;
    const episode = parseEpisode(fromAutoGen(plain));
    expect(episode.agents).toEqual(['planning_agent', 'web_search_agent', 'data_analyst_agent']);
    expect(episode.context).toEqual(['user']);
    expect(episode.task).toMatch(/^Who was the Miami Heat player/);
    // Request, execution and the summary that repeats the result: one turn, the result spelled once, the summary's label kept.
    expect(episode.messages[2]).toMatchObject({
      agent: 'web_search_agent',
      content: 'search_web_tool({"query":"Miami Heat highest points player 2006-2007 season"})\n[search_web_tool result] Dwyane Wade led the team with 1397 points.',
      label: 'helpful',
    });
    expect(episode.messages.map((message) => message.agent)).toEqual(['user', 'planning_agent', 'web_search_agent', 'data_analyst_agent', 'planning_agent']);
    expect(episode.messages[0].id).toBe('7f1c2d0e-0001');
  });

  it('thoughts only with includeReasoning; streaming chunks skipped; images as placeholders', () => {
    const messages = [
      { source: 'user', type: 'MultiModalMessage', content: ['Describe this chart.', { data: 'iVBORw0KGgo'.padEnd(1200, 'A') }] },
      { source: 'analyst', type: 'ModelClientStreamingChunkEvent', content: 'It sh' },
      { source: 'analyst', type: 'ThoughtEvent', content: 'The y axis is log scale.' },
      { source: 'analyst', type: 'TextMessage', content: 'It shows exponential growth.' },
    ];
    const plain = fromAutoGen({ messages, outcome: { score: 1, success: true } }) as { messages: Array<{ content: string }> };
    expect(plain.messages.map((message) => message.content)).toEqual(['Describe this chart.\n[image: 900 B]', 'It shows exponential growth.']);
    const thinking = fromAutoGen({ messages, outcome: { score: 1, success: true } }, { includeReasoning: true }) as { messages: Array<{ content: string }> };
    expect(thinking.messages[1].content).toBe('[reasoning] The y axis is log scale.');
    expect(thinking.messages[2].content).toBe('It shows exponential growth.');
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

describe('fromAutoGen on long runs', () => {
  it('a tool call request that continues its agent turn does not search the turns for it (quadratic in runs of thousands of turns)', () => {
    const messages: object[] = [];
    for (let i = 0; i < 2_000; i++) {
      messages.push({ source: 'user', type: 'TextMessage', content: `question ${i}` }, { source: 'coder', type: 'TextMessage', content: `running the tests ${i}` });
      messages.push({ source: 'coder', type: 'ToolCallRequestEvent', content: [{ id: `c${i}`, name: 'run', arguments: '{}' }] });
      messages.push({ source: 'coder', type: 'ToolCallExecutionEvent', content: [{ call_id: `c${i}`, name: 'run', content: 'ok' }] });
    }
    const indexOf = vi.spyOn(Array.prototype, 'indexOf');
    try {
      const record = fromAutoGen({ messages, outcome: { score: 0, success: false } });
      expect((record.messages as unknown[]).length).toBe(4_000);
      expect(indexOf.mock.contexts.filter((array) => Array.isArray(array) && array.length > 100)).toHaveLength(0);
    } finally {
      indexOf.mockRestore();
    }
  });
});
