import { describe, expect, it } from 'vitest';
import { fromLangChain } from '../../src/episodes/adapters/langchain.js';
import { attributeEpisode } from '../../src/episodes/attribute.js';
import { parseEpisode } from '../../src/episodes/episode.js';
import { toDpo } from '../../src/episodes/export.js';
import { readJson } from '../support/fixtures.js';

describe('LangChain / LangGraph adapter', () => {
  it('reads a LangGraph state: agent = name, else type; the ToolMessage joins its caller; message ids kept', () => {
    const episode = parseEpisode(fromLangChain(readJson('test/fixtures/langgraph-state.json')));
    expect(episode.messages.map((message) => message.agent)).toEqual(['human', 'supervisor', 'research_expert', 'math_expert', 'supervisor']);
    expect(episode.agents).toEqual(['supervisor', 'research_expert', 'math_expert']);
    expect(episode.context).toEqual(['human']);
    expect(episode.messages[1].content).toBe('transfer_to_research_expert({})\n[transfer_to_research_expert result] Successfully transferred to research_expert');
    expect(episode.messages[2]).toMatchObject({ id: 'run-02', label: 'error', score: -0.6 });
  });

  it('turns the repair of the first error into a DPO pair carrying agent names', async () => {
    const signals = await attributeEpisode(fromLangChain(readJson('test/fixtures/langgraph-state.json')));
    expect(signals.firstError).toMatchObject({ id: 'run-02', index: 2, agent: 'research_expert' });
    const [pair] = toDpo(signals);
    expect(pair.chosen).toEqual([{ role: 'assistant', name: 'research_expert', content: expect.stringMatching(/^Headcounts 2024 \(10-K filings\)/) }]);
    expect(pair.rejected[0].content).toMatch(/^Headcounts 2024: Meta 67,317/);
    expect(pair.prompt.map((turn) => turn.name)).toEqual(['human', 'supervisor']);
  });

  it('reads messages_to_dict ({ type, data }) and dumpd ({ lc, kwargs }) serializations', () => {
    const dict = parseEpisode(fromLangChain(readJson('test/fixtures/langchain-messages-to-dict.json')));
    expect(dict.messages.map((message) => [message.agent, message.content])).toEqual([['human', 'What is the capital of Australia?'], ['ai', 'Canberra.']]);
    const dumpd = parseEpisode(fromLangChain(readJson('test/fixtures/langchain-dumpd.json')));
    expect(dumpd.messages.map((message) => message.agent)).toEqual(['human', 'converter', 'checker']);
  });
});
