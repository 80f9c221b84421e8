// fromOpenAIResponses on a real @openai/agents run: a triage agent hands off
// to a weather agent, which calls a tool and answers. The model is a scripted
// provider (no network); the run's items and history are serialized as users
// save them (JSON.stringify of RunResult.newItems, RunResult.history).
import { describe, expect, it, vi } from 'vitest';
import { fromOpenAIResponses } from '../../src/episodes/adapters/responses.js';
import { detectFormat } from '../../src/episodes/adapters/detect.js';
import { attributeEpisode } from '../../src/episodes/attribute.js';
import { parseEpisode } from '../../src/episodes/episode.js';
import { weatherRun } from '../support/ecosystems.js';

const success = { score: 1, success: true };

describe('fromOpenAIResponses: an @openai/agents run with a handoff and a tool call', () => {
  it('run items: each agent its own turn, the handoff in the caller turn, the tool call and output in the weather agent turn', async () => {
    const run = await weatherRun();
    const episode = parseEpisode(fromOpenAIResponses({ id: 'paris', input: run.input, newItems: run.newItems, outcome: success }));
    expect(episode.agents).toEqual(['triage_agent', 'weather_agent']);
    expect(episode.context).toEqual(['user']);
    expect(episode.task).toBe('What is the weather in Paris?');
    expect(episode.messages.map((message) => [message.agent, message.content])).toEqual([
      ['user', 'What is the weather in Paris?'],
      ['triage_agent', 'transfer_to_weather_agent({})\n[handoff to weather_agent]'],
      ['weather_agent', 'get_weather({"city":"Paris"})\n[get_weather result] sunny, 22 C in Paris\nSunny and 22 C in Paris today.'],
    ]);
  });

  it('a run saved whole (its RunState, or JSON.stringify(result)) reads as its input and items do, and is detected', async () => {
    const run = await weatherRun();
    const fromItems = parseEpisode(fromOpenAIResponses({ id: 'paris', input: run.input, newItems: run.newItems, outcome: success }));
    for (const saved of [run.state, run.result]) {
      expect(parseEpisode(fromOpenAIResponses({ ...saved, id: 'paris', outcome: success }))).toEqual(fromItems);
      expect(detectFormat(saved)).toBe('responses');
    }
    // The RunState's own `context` (usage, approvals) is not the episode's: naming the agents still works.
    expect(parseEpisode(fromOpenAIResponses(run.state, { id: 'paris', outcome: success, agents: ['triage_agent', 'weather_agent'] })).context).toEqual(['user']);
    expect(() => fromOpenAIResponses({ runs: [] }, { id: 'x', outcome: success })).toThrow(/a saved run .*got object with keys runs/);
  });

  it('items that start after the handoff call still change the agent at the handoff output', async () => {
    const run = await weatherRun();
    const fromOutput = (run.newItems as Array<{ type: string }>).slice((run.newItems as Array<{ type: string }>).findIndex((item) => item.type === 'handoff_output_item'));
    const episode = parseEpisode(fromOpenAIResponses(fromOutput, { id: 'late', outcome: success }));
    expect(episode.agents).toEqual(['weather_agent']);
  });

  it('reasoning only with includeReasoning', async () => {
    const run = await weatherRun();
    const record = fromOpenAIResponses({ id: 'paris', input: run.input, newItems: run.newItems, outcome: success }, { includeReasoning: true }) as { messages: Array<{ content: string }> };
    expect(record.messages[1].content).toBe('[reasoning] A weather question: the weather agent answers those.\ntransfer_to_weather_agent({})\n[handoff to weather_agent]');
  });

  it('history (no agent names): the starting agent from the option, the handoff output names the next; the same transcript', async () => {
    const run = await weatherRun();
    const fromHistory = parseEpisode(fromOpenAIResponses(run.history, { id: 'paris', outcome: success, agent: 'triage_agent' }));
    const fromItems = parseEpisode(fromOpenAIResponses({ id: 'paris', input: run.input, newItems: run.newItems, outcome: success }));
    expect(fromHistory.messages).toEqual(fromItems.messages);
    expect(parseEpisode(fromOpenAIResponses(run.history, { id: 'paris', outcome: success })).agents).toEqual(['assistant', 'weather_agent']);
    expect(detectFormat(run.history)).toBe('responses');
    expect(detectFormat(run.newItems)).toBe('responses');
    expect(detectFormat({ history: run.history })).toBe('responses');
  });

  it('attributes the run: each agent has one player message and a reward', async () => {
    const run = await weatherRun();
    const coalitions = [{ agents: [], value: 0 }, { agents: ['triage_agent'], value: 0 }, { agents: ['weather_agent'], value: 0.75 }, { agents: ['triage_agent', 'weather_agent'], value: 1 }];
    const signals = await attributeEpisode(fromOpenAIResponses({ id: 'paris', input: run.input, newItems: run.newItems, outcome: success, coalitions }));
    expect(signals.agents.map((agent) => agent.credit)).toEqual([expect.closeTo(0.125, 12), expect.closeTo(0.875, 12)]);
    expect(signals.messages.map((message) => message.agent)).toEqual(['triage_agent', 'weather_agent']);
  });
});

describe('fromOpenAIResponses: Responses API items', () => {
  it('a lone function_call is the assistant calling a tool, never an agent named after the function; its arguments kept', () => {
    const record = fromOpenAIResponses([{ type: 'function_call', call_id: 'call_1', name: 'lookup_order', arguments: '{"order":"A-17"}' }], { id: 'lone', outcome: success });
    expect(record).toMatchObject({ agents: ['assistant'], messages: [{ agent: 'assistant', content: 'lookup_order({"order":"A-17"})' }] });
    expect(detectFormat([{ type: 'function_call', call_id: 'call_1', name: 'lookup_order', arguments: '{}' }])).toBe('responses');
  });

  it('a Response object: input and output items, refusals kept, function_call_output joins its call, hosted tools spelled out', () => {
    const response = {
      id: 'resp_abc',
      object: 'response',
      input: [
        { role: 'developer', content: 'Answer briefly.' },
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Order status of A-17, and its label?' }, { type: 'input_image', image_url: `data:image/jpeg;base64,${'B'.repeat(800)}` }] },
      ],
      output: [
        { type: 'web_search_call', id: 'ws_1', status: 'completed', action: { type: 'search', query: 'carrier tracking A-17' } },
        { type: 'function_call', id: 'fc_1', call_id: 'call_9', name: 'order_status', arguments: '{"order":"A-17"}' },
        { type: 'function_call_output', call_id: 'call_9', output: 'shipped' },
        { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Shipped.' }, { type: 'refusal', refusal: 'I cannot read the label image.' }] },
      ],
      outcome: { score: 0.5, success: false },
    };
    const episode = parseEpisode(fromOpenAIResponses(response, { agent: 'support' }));
    expect(episode.id).toBe('resp_abc');
    expect(episode.context).toEqual(['developer', 'user']);
    expect(episode.messages.map((message) => message.content)).toEqual([
      'Answer briefly.',
      'Order status of A-17, and its label?\n[image: image/jpeg, 600 B]',
      'web_search({"type":"search","query":"carrier tracking A-17"})\norder_status({"order":"A-17"})\n[order_status result] shipped\nShipped.\n[refusal] I cannot read the label image.',
    ]);
  });

  it('computer-use screenshots and SDK images are placeholders, never their base64', () => {
    const screenshot = `data:image/png;base64,${'A'.repeat(200_000)}`;
    const items = [
      { type: 'computer_call', call_id: 'cc1', action: { type: 'click', x: 1, y: 2 } },
      { type: 'computer_call_output', call_id: 'cc1', output: { type: 'computer_screenshot', image_url: screenshot } },
      { type: 'message', role: 'user', content: [{ type: 'input_image', image: screenshot }] },
    ];
    const episode = fromOpenAIResponses(items, { id: 'computer', outcome: { score: 1, success: true } }) as { messages: Array<{ content: string }> };
    expect(episode.messages.map((message) => message.content)).toEqual([
      'computer({"type":"click","x":1,"y":2})\n[computer result] [image: image/png, 150.0 kB]',
      '[image: image/png, 150.0 kB]',
    ]);
  });

  it('names the item it cannot read', () => {
    expect(() => fromOpenAIResponses([{ type: 'mystery' }], { outcome: success })).toThrow(/items\[0\]\.type: unknown Responses item type "mystery"/);
    expect(() => fromOpenAIResponses([3], { outcome: success })).toThrow(/items\[0\]: expected a Responses item object/);
    expect(() => fromOpenAIResponses({ foo: 1 })).toThrow(/expected Responses \/ Agents SDK items/);
  });
});

describe('fromOpenAIResponses on long runs', () => {
  it('an item that continues the current turn does not search the turns for it (quadratic in runs of thousands of turns)', () => {
    const items: object[] = [];
    for (let i = 0; i < 2_000; i++) {
      items.push({ type: 'message', role: 'user', content: `question ${i}` }, { type: 'function_call', call_id: `c${i}`, name: 'run', arguments: '{}' });
      items.push({ type: 'function_call_output', call_id: `c${i}`, output: 'ok' }, { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: `answer ${i}` }] });
    }
    const indexOf = vi.spyOn(Array.prototype, 'indexOf');
    try {
      const record = fromOpenAIResponses(items, { outcome: success });
      expect((record.messages as unknown[]).length).toBe(4_000);
      expect((record.messages as Array<{ content: string }>)[3_999].content).toBe('run({})\n[run result] ok\nanswer 1999');
      expect(indexOf.mock.contexts.filter((array) => Array.isArray(array) && array.length > 100)).toHaveLength(0);
    } finally {
      indexOf.mockRestore();
    }
  });
});
