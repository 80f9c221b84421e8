// Runs of the real libraries of each ecosystem, offline, whose output the
// adapter tests read: OpenTelemetry spans (SDK in-memory exporter, OTLP JSON
// by the OTLP transformer), OpenInference spans (attribute names from its
// conventions package), an @openai/agents run on a scripted model provider,
// and a LangGraph MemorySaver checkpoint after a run with fake chat models.
import { context, trace, type Attributes, type Span } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { OpenInferenceSpanKind, SemanticConventions as OI } from '@arizeai/openinference-semantic-conventions';
import { Agent, Runner, tool, Usage, type Model, type ModelProvider, type ModelResponse } from '@openai/agents';
import { z } from 'zod';
import { expect } from 'vitest';

/**
 * A tracer whose spans start and end at the times given (ms), so their order never rests on the clock.
 * `attributeValueLengthLimit` cuts longer string attributes, as OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT makes the SDK do.
 */
export function recorder(attributeValueLengthLimit?: number) {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)], spanLimits: { attributeValueLengthLimit } });
  const tracer = provider.getTracer('agent-credit-test');
  const base = Date.UTC(2026, 0, 5, 9, 0, 0);
  const start = (name: string, at: number, attributes: Attributes, parent?: Span) =>
    tracer.startSpan(name, { attributes, startTime: base + at }, parent ? trace.setSpan(context.active(), parent) : undefined);
  const end = (span: Span, at: number) => span.end(base + at);
  /** The finished spans as the OTLP/HTTP JSON exporter sends them. */
  const otlp = (): unknown => JSON.parse(new TextDecoder().decode(JsonTraceSerializer.serializeRequest(exporter.getFinishedSpans())));
  return { start, end, otlp, spans: (): ReadableSpan[] => exporter.getFinishedSpans() };
}

const json = (value: unknown) => JSON.stringify(value);
const text = (content: string) => ({ type: 'text', content });

/** A GenAI-convention trace: planner -> researcher (search tool) -> booker (failing tool), judged a failure. */
export function genAiTrace(conversation = 'conv-lisbon', offset = 0, verdict: 'pass' | 'fail' = 'fail') {
  const r = recorder();
  const t = (ms: number) => offset + ms;
  const user = { role: 'user', parts: [text('Book 2 nights in Lisbon under 300 EUR.')] };
  const planner = r.start('invoke_agent planner', t(0), { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'planner', 'gen_ai.conversation.id': conversation });
  const plan = r.start('chat gpt-4o', t(1), {
    'gen_ai.operation.name': 'chat',
    'gen_ai.system_instructions': json([text('You are the planner.')]),
    'gen_ai.input.messages': json([user]),
    'gen_ai.output.messages': json([{ role: 'assistant', parts: [text('Researcher: find a hotel. Booker: book it.')], finish_reason: 'stop' }]),
  }, planner);
  r.end(plan, t(2));
  const researcher = r.start('invoke_agent researcher', t(3), { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'researcher' }, planner);
  const search = r.start('chat gpt-4o', t(4), {
    'gen_ai.operation.name': 'chat',
    'gen_ai.input.messages': json([{ role: 'system', parts: [text('You research hotels.')] }, user]),
    'gen_ai.output.messages': json([{ role: 'assistant', parts: [{ type: 'tool_call', id: 'call_1', name: 'search_hotels', arguments: { city: 'Lisbon', max_eur: 150 } }] }]),
  }, researcher);
  r.end(search, t(5));
  const tool = r.start('execute_tool search_hotels', t(6), {
    'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'search_hotels', 'gen_ai.tool.call.id': 'call_1',
    'gen_ai.tool.call.arguments': '{"city":"Lisbon","max_eur":150}', 'gen_ai.tool.call.result': 'Casa Azul, 120 EUR/night',
  }, researcher);
  r.end(tool, t(7));
  const found = r.start('chat gpt-4o', t(8), {
    'gen_ai.operation.name': 'chat',
    'gen_ai.input.messages': json([user, { role: 'tool', parts: [{ type: 'tool_call_response', id: 'call_1', response: 'Casa Azul, 120 EUR/night' }] }]),
    'gen_ai.output.messages': json([{ role: 'assistant', parts: [text('Casa Azul: 120 EUR per night, 240 EUR in all.')] }]),
  }, researcher);
  r.end(found, t(9));
  r.end(researcher, t(10));
  const booker = r.start('invoke_agent booker', t(11), { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'booker' }, planner);
  const bookCall = r.start('chat gpt-4o', t(12), {
    'gen_ai.operation.name': 'chat',
    'gen_ai.input.messages': json([{ role: 'system', parts: [text('You book hotels.')] }, user]),
    'gen_ai.output.messages': json([{ role: 'assistant', parts: [{ type: 'tool_call', id: 'call_2', name: 'book', arguments: '{"hotel":"Casa Azul","nights":2}' }] }]),
  }, booker);
  r.end(bookCall, t(13));
  const book = r.start('execute_tool book', t(14), { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'book', 'gen_ai.tool.call.id': 'call_2' }, booker);
  book.setStatus({ code: 2, message: 'card declined' });
  r.end(book, t(15));
  const claim = r.start('chat gpt-4o', t(16), { 'gen_ai.operation.name': 'chat', 'gen_ai.output.messages': json([{ role: 'assistant', parts: [text('Booked Casa Azul for 2 nights.')] }]) }, booker);
  r.end(claim, t(17));
  booker.setStatus({ code: 2, message: 'tool failed' });
  r.end(booker, t(18));
  const wrap = r.start('chat gpt-4o', t(19), { 'gen_ai.operation.name': 'chat', 'gen_ai.output.messages': json([{ role: 'assistant', parts: [text('Your trip is booked.')] }]) }, planner);
  r.end(wrap, t(20));
  planner.addEvent('gen_ai.evaluation.result', { 'gen_ai.evaluation.name': 'task_success', 'gen_ai.evaluation.score.value': verdict === 'pass' ? 1 : 0, 'gen_ai.evaluation.score.label': verdict });
  r.end(planner, t(21));
  return r;
}

/** An OpenInference trace: a CHAIN root, a researcher AGENT (LLM + TOOL), a writer AGENT, an EVALUATOR. */
export function openInferenceTrace() {
  const r = recorder();
  const kind = OI.OPENINFERENCE_SPAN_KIND;
  const root = r.start('team', 0, { [kind]: OpenInferenceSpanKind.CHAIN, [OI.INPUT_VALUE]: 'Summarize the Q3 churn numbers.', [OI.INPUT_MIME_TYPE]: 'text/plain', [OI.SESSION_ID]: 'session-7' });
  const researcher = r.start('researcher', 1, { [kind]: OpenInferenceSpanKind.AGENT, [OI.AGENT_NAME]: 'researcher' }, root);
  const llm = r.start('ChatCompletion', 2, {
    [kind]: OpenInferenceSpanKind.LLM,
    [`${OI.LLM_INPUT_MESSAGES}.0.${OI.MESSAGE_ROLE}`]: 'system',
    [`${OI.LLM_INPUT_MESSAGES}.0.${OI.MESSAGE_CONTENT}`]: 'You query the warehouse.',
    [`${OI.LLM_INPUT_MESSAGES}.1.${OI.MESSAGE_ROLE}`]: 'user',
    [`${OI.LLM_INPUT_MESSAGES}.1.${OI.MESSAGE_CONTENTS}.0.${OI.MESSAGE_CONTENT_TYPE}`]: 'text',
    [`${OI.LLM_INPUT_MESSAGES}.1.${OI.MESSAGE_CONTENTS}.0.${OI.MESSAGE_CONTENT_TEXT}`]: 'Summarize the Q3 churn numbers.',
    [`${OI.LLM_INPUT_MESSAGES}.1.${OI.MESSAGE_CONTENTS}.1.${OI.MESSAGE_CONTENT_TYPE}`]: 'image',
    [`${OI.LLM_INPUT_MESSAGES}.1.${OI.MESSAGE_CONTENTS}.1.${OI.MESSAGE_CONTENT_IMAGE}.${OI.IMAGE_URL}`]: `data:image/png;base64,${'A'.repeat(400)}`,
    [`${OI.LLM_OUTPUT_MESSAGES}.0.${OI.MESSAGE_ROLE}`]: 'assistant',
    [`${OI.LLM_OUTPUT_MESSAGES}.0.${OI.MESSAGE_TOOL_CALLS}.0.${OI.TOOL_CALL_ID}`]: 'call_sql',
    [`${OI.LLM_OUTPUT_MESSAGES}.0.${OI.MESSAGE_TOOL_CALLS}.0.${OI.TOOL_CALL_FUNCTION_NAME}`]: 'run_sql',
    [`${OI.LLM_OUTPUT_MESSAGES}.0.${OI.MESSAGE_TOOL_CALLS}.0.${OI.TOOL_CALL_FUNCTION_ARGUMENTS_JSON}`]: '{"query":"select churn from q3"}',
  }, researcher);
  r.end(llm, 3);
  const sql = r.start('run_sql', 4, { [kind]: OpenInferenceSpanKind.TOOL, [OI.TOOL_NAME]: 'run_sql', [OI.INPUT_VALUE]: '{"query":"select churn from q3"}', [OI.OUTPUT_VALUE]: 'churn = 4.2%' }, researcher);
  r.end(sql, 5);
  r.end(researcher, 6);
  const writer = r.start('writer', 7, { [kind]: OpenInferenceSpanKind.AGENT, [OI.AGENT_NAME]: 'writer', [OI.OUTPUT_VALUE]: 'Q3 churn was 4.2%, down from 5.1%.', [OI.OUTPUT_MIME_TYPE]: 'text/plain' }, root);
  r.end(writer, 8);
  const judge = r.start('faithfulness', 9, { [kind]: OpenInferenceSpanKind.EVALUATOR, [OI.EVALUATION_NAME]: 'faithfulness', [OI.EVALUATION_SCORE]: 0.9, [OI.EVALUATION_LABEL]: 'correct' }, root);
  const judgeModel = r.start('ChatCompletion', 10, { [kind]: OpenInferenceSpanKind.LLM, [`${OI.LLM_OUTPUT_MESSAGES}.0.${OI.MESSAGE_ROLE}`]: 'assistant', [`${OI.LLM_OUTPUT_MESSAGES}.0.${OI.MESSAGE_CONTENT}`]: 'faithful' }, judge);
  r.end(judgeModel, 11);
  r.end(judge, 12);
  r.end(root, 13);
  return r;
}

/** A model that answers each call with the next scripted output and records what it was asked. */
function scripted(outputs: ModelResponse['output'][]): { provider: ModelProvider; calls: number } {
  const state = { calls: 0 };
  const model: Model = {
    async getResponse() {
      return { usage: new Usage(), output: outputs[state.calls++], responseId: `resp_${state.calls}` };
    },
    // eslint-disable-next-line require-yield
    async *getStreamedResponse() {
      throw new Error('the scripted model does not stream');
    },
  };
  return { provider: { getModel: () => model }, get calls() { return state.calls; } };
}

export async function weatherRun() {
  const script = scripted([
    [
      { type: 'reasoning', id: 'rs_1', content: [{ type: 'input_text', text: 'A weather question: the weather agent answers those.' }] },
      { type: 'function_call', id: 'fc_1', callId: 'call_handoff', name: 'transfer_to_weather_agent', arguments: '{}', status: 'completed' },
    ],
    [{ type: 'function_call', id: 'fc_2', callId: 'call_weather', name: 'get_weather', arguments: '{"city":"Paris"}', status: 'completed' }],
    [{ type: 'message', id: 'msg_1', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'Sunny and 22 C in Paris today.' }] }],
  ]);
  const getWeather = tool({ name: 'get_weather', description: 'Current weather of a city', parameters: z.object({ city: z.string() }), execute: async ({ city }) => `sunny, 22 C in ${city}` });
  const weather = new Agent({ name: 'weather_agent', instructions: 'Answer weather questions with the tool.', tools: [getWeather] });
  const triage = new Agent({ name: 'triage_agent', instructions: 'Route each question to the right agent.', handoffs: [weather] });
  const runner = new Runner({ modelProvider: script.provider, tracingDisabled: true });
  const result = await runner.run(triage, 'What is the weather in Paris?');
  expect(script.calls).toBe(3);
  expect(result.lastAgent?.name).toBe('weather_agent');
  // What users keep: the run items (with their agents) and the history (plain Responses-style items).
  return {
    newItems: JSON.parse(JSON.stringify(result.newItems)) as unknown[],
    history: JSON.parse(JSON.stringify(result.history)) as unknown[],
    input: 'What is the weather in Paris?',
    // The run saved whole: its RunState (the SDK's own serialization, to resume a run) and the result as JSON.
    state: JSON.parse(result.state.toString()) as Record<string, unknown>,
    result: JSON.parse(JSON.stringify(result)) as Record<string, unknown>,
  };
}

/** A LangGraph run with core's fake chat models, checkpointed by MemorySaver; the checkpoint as JSON, as users store it. */
export async function langGraphCheckpoint(keepRemovals: boolean) {
  const { Annotation, END, MemorySaver, MessagesAnnotation, START, StateGraph } = await import('@langchain/langgraph');
  const { ToolNode } = await import('@langchain/langgraph/prebuilt');
  const { AIMessage, AIMessageChunk, ChatMessage, HumanMessage, RemoveMessage, SystemMessage } = await import('@langchain/core/messages');
  const { FakeStreamingChatModel } = await import('@langchain/core/utils/testing');
  const { tool } = await import('@langchain/core/tools');
  const { z } = await import('zod');
  type Messages = InstanceType<typeof AIMessage>[];
  const search = tool(async ({ q }: { q: string }) => `Canberra is the capital of Australia (${q}).`, { name: 'search', description: 'Web search', schema: z.object({ q: z.string() }) });
  /**
   * One scripted reply (the fake model takes its content from `responses` and its tool calls from `chunks`),
   * named after the agent that speaks it, as langgraph-supervisor names its agents' messages.
   */
  const agent = (name: string, reply: InstanceType<typeof AIMessageChunk>) => async (state: { messages: Messages }) => {
    const model = new FakeStreamingChatModel({ responses: [new AIMessage({ content: reply.content })], chunks: [reply] });
    const message = await model.invoke(state.messages);
    return { messages: [new AIMessage({ id: message.id, content: message.content, tool_calls: message.tool_calls, name })] };
  };
  const call = new AIMessageChunk({
    content: [
      { type: 'thinking', thinking: 'Need to look it up.', signature: 'sig' },
      { type: 'text', text: 'Let me search.' },
      { type: 'tool_use', id: 'toolu_1', name: 'search', input: { q: 'capital of Australia' } },
    ],
    tool_calls: [{ id: 'toolu_1', name: 'search', args: { q: 'capital of Australia' } }],
  });
  // Without add_messages' reducer a RemoveMessage stays in the list, as in checkpoints of graphs with their own reducer.
  const State = keepRemovals ? Annotation.Root({ messages: Annotation<Messages>({ reducer: (a, b) => a.concat(b), default: () => [] }) }) : MessagesAnnotation;
  const saver = new MemorySaver();
  const graph = new StateGraph(State)
    .addNode('researcher', agent('researcher', call))
    .addNode('tools', new ToolNode([search]))
    .addNode('answer', agent('researcher', new AIMessageChunk({ content: 'Canberra.' })))
    .addNode('critic', async () => ({ messages: [new ChatMessage({ id: 'c-1', role: 'critic', content: 'Canberra is right; the Sydney draft was wrong.' }), new RemoveMessage({ id: 'draft-1' })] }))
    .addEdge(START, 'researcher')
    .addEdge('researcher', 'tools')
    .addEdge('tools', 'answer')
    .addEdge('answer', 'critic')
    .addEdge('critic', END)
    .compile({ checkpointer: saver });
  const config = { configurable: { thread_id: 'capital' } };
  const input = [new SystemMessage({ id: 's-1', content: 'Answer with one city.' }), new HumanMessage({ id: 'h-1', content: 'Capital of Australia?' }), new AIMessage({ id: 'draft-1', name: 'researcher', content: 'Sydney?' })];
  await graph.invoke({ messages: input } as never, config);
  const tuple = await saver.getTuple(config);
  const snapshot = await graph.getState(config);
  return { checkpoint: JSON.parse(JSON.stringify(tuple!.checkpoint)), tuple: JSON.parse(JSON.stringify(tuple)), snapshot: JSON.parse(JSON.stringify(snapshot)) };
}

