// fromOtel on spans made by the OpenTelemetry JS SDK itself (in-memory
// exporter), serialized to OTLP JSON by the OTLP transformer the OTLP/HTTP
// JSON exporter uses; OpenInference spans built with the constants of
// @arizeai/openinference-semantic-conventions.
import type { Attributes } from '@opentelemetry/api';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { OpenInferenceSpanKind, SemanticConventions as OI } from '@arizeai/openinference-semantic-conventions';
import { describe, expect, it } from 'vitest';
import { fromOtel } from '../../src/episodes/adapters/otel.js';
import { attributeEpisode } from '../../src/episodes/attribute.js';
import { parseEpisode } from '../../src/episodes/episode.js';
import { genAiTrace, openInferenceTrace, recorder } from '../support/ecosystems.js';
import { cli } from '../support/cli.js';
import { tempDir } from '../support/temp-dir.js';

describe('fromOtel: OpenTelemetry GenAI spans (SDK in-memory exporter, OTLP JSON)', () => {
  it('one message per agent turn in start order; tool spans in the calling turn; user and system input as context', () => {
    const [record] = fromOtel(genAiTrace().otlp());
    const episode = parseEpisode(record);
    expect(episode.id).toBe('conv-lisbon');
    expect(episode.task).toBe('Book 2 nights in Lisbon under 300 EUR.');
    expect(episode.agents).toEqual(['planner', 'researcher', 'booker']);
    expect(episode.context).toEqual(['system', 'user']);
    expect(episode.messages.map((message) => [message.agent, message.content])).toEqual([
      ['system', 'You are the planner.'],
      ['user', 'Book 2 nights in Lisbon under 300 EUR.'],
      ['planner', 'Researcher: find a hotel. Booker: book it.'],
      ['system', 'You research hotels.'],
      ['researcher', 'search_hotels({"city":"Lisbon","max_eur":150})\n[search_hotels result] Casa Azul, 120 EUR/night\nCasa Azul: 120 EUR per night, 240 EUR in all.'],
      ['system', 'You book hotels.'],
      ['booker', 'book({"hotel":"Casa Azul","nights":2})\n[book result] error: card declined\nBooked Casa Azul for 2 nights.'],
      ['planner', 'Your trip is booked.'],
    ]);
    // The failing tool span labels the booker's turn; its parent's ERROR is explained by it, not labelled again.
    expect(episode.messages.map((message) => message.label ?? null)).toEqual([null, null, null, null, null, null, 'error', null]);
    expect(episode.outcome).toEqual({ score: 0, success: false });
  });

  it('the located error becomes the first error of the signals', async () => {
    const signals = await attributeEpisode(fromOtel(genAiTrace().otlp())[0]);
    expect(signals.firstError).toMatchObject({ index: 6, agent: 'booker', strategy: 'label' });
  });

  it('in a trace that succeeded, a span in ERROR (a failure the team got past) labels nothing, so the credit can be split', async () => {
    const episode = parseEpisode(fromOtel(genAiTrace('conv-ok', 0, 'pass').otlp())[0]);
    expect(episode.outcome).toEqual({ score: 1, success: true });
    expect(episode.messages.every((message) => message.label === undefined)).toBe(true);
    // Every agent helped: the booker, whose tool call failed once, has positive credit and a positive reward.
    const signals = await attributeEpisode(episode, { evaluate: (coalition) => coalition.length / 3 });
    const booker = signals.agents.find((agent) => agent.agent === 'booker')!;
    expect(booker.credit).toBeCloseTo(1 / 3, 12);
    expect(signals.messages.filter((message) => message.agent === 'booker').reduce((sum, message) => sum + message.reward, 0)).toBeCloseTo(1 / 3, 12);
  });

  it('reads the SDK spans as a plain list too (ReadableSpan JSON is not OTLP: ids and times in other fields)', () => {
    const r = genAiTrace();
    const plain = r.spans().map((span) => ({
      traceId: span.spanContext().traceId, spanId: span.spanContext().spanId, parentSpanId: span.parentSpanContext?.spanId,
      name: span.name, startTime: span.startTime, endTime: span.endTime, attributes: span.attributes, status: span.status,
      events: span.events.map((event) => ({ name: event.name, attributes: event.attributes })),
    }));
    const [fromList] = fromOtel(plain);
    expect(fromList).toEqual(fromOtel(r.otlp())[0]);
  });

  it('one episode per trace, or per conversation; TRAIL-style error annotations label the message their span is in', () => {
    const first = genAiTrace('conv-a').otlp() as { resourceSpans: unknown[] };
    const second = genAiTrace('conv-b', 100).otlp() as { resourceSpans: unknown[] };
    const both = { resourceSpans: [...first.resourceSpans, ...second.resourceSpans] };
    expect(fromOtel(both).map((record) => record.id)).toEqual(['conv-a', 'conv-b']);
    const traces = fromOtel(both, { groupBy: 'trace' });
    expect(traces).toHaveLength(2);
    expect(traces[0].id).toMatch(/^[0-9a-f]{32}$/);
    // Error annotations by span id (TRAIL's "location"): the researcher's model call is where the error was made.
    const spans = (first.resourceSpans[0] as { scopeSpans: Array<{ spans: Array<{ spanId: string; name: string; startTimeUnixNano: string }> }> }).scopeSpans[0].spans;
    const researcherCall = spans.filter((span) => span.name === 'chat gpt-4o').sort((a, b) => Number(BigInt(a.startTimeUnixNano) - BigInt(b.startTimeUnixNano)))[1];
    const errors = [{ category: 'Tool Selection Errors', location: researcherCall.spanId, evidence: 'searched for 150 EUR/night', impact: 'HIGH' }];
    const [annotated] = fromOtel({ ...first, errors });
    const episode = parseEpisode(annotated);
    expect(episode.messages[4]).toMatchObject({ agent: 'researcher', label: 'error' });
    expect(episode.annotations).toEqual({ errors });
    expect(() => fromOtel(first, { errors: [{ location: 'ffffffffffffffff' }] })).toThrow(/errors: no span has id "ffffffffffffffff"/);
    expect(() => fromOtel(first, { errors: [{ category: 'x' }] })).toThrow(/errors\[0\]\.location: expected the id of the span the error is in/);
  });

  it('a conversation over several traces, each prompt the history so far: every user turn once, a repeated one too', () => {
    const r = recorder();
    const history = (...messages: Array<[string, string]>) => JSON.stringify(messages.map(([role, content]) => ({ role, parts: [{ type: 'text', content }] })));
    const turn = (at: number, prompt: Array<[string, string]>, answer: string) => {
      const bot = r.start('invoke_agent bot', at, { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'bot', 'gen_ai.conversation.id': 'story' });
      const chat = r.start('chat', at + 1, { 'gen_ai.operation.name': 'chat', 'gen_ai.input.messages': history(...prompt), 'gen_ai.output.messages': history(['assistant', answer]) }, bot);
      r.end(chat, at + 2);
      r.end(bot, at + 3);
    };
    turn(0, [['user', 'Write part 1']], 'Part 1 ...');
    turn(10, [['user', 'Write part 1'], ['assistant', 'Part 1 ...'], ['user', 'continue']], 'Part 2 ...');
    turn(20, [['user', 'Write part 1'], ['assistant', 'Part 1 ...'], ['user', 'continue'], ['assistant', 'Part 2 ...'], ['user', 'continue']], 'Part 3 ...');
    // A prompt that keeps only the last messages (a context window) repeats none of them.
    turn(30, [['assistant', 'Part 2 ...'], ['user', 'continue'], ['assistant', 'Part 3 ...'], ['user', 'The end?']], 'The end.');
    const records = fromOtel(r.otlp(), { outcome: { score: 1, success: true } });
    expect(records).toHaveLength(1);
    expect(parseEpisode(records[0]).messages.map((m) => [m.agent, m.content])).toEqual([
      ['user', 'Write part 1'],
      ['bot', 'Part 1 ...'],
      ['user', 'continue'],
      ['bot', 'Part 2 ...'],
      ['user', 'continue'],
      ['bot', 'Part 3 ...'],
      ['user', 'The end?'],
      ['bot', 'The end.'],
    ]);
  });

  it('messages recorded on a gen_ai.client.inference.operation.details event read as on the span', () => {
    const attributes = (entries: Record<string, string>) => Object.entries(entries).map(([key, value]) => ({ key, value: { stringValue: value } }));
    const span = (details: boolean) => ({
      traceId: 't', spanId: 's', name: 'chat',
      attributes: attributes({ 'gen_ai.operation.name': 'chat', ...(details ? {} : { 'gen_ai.output.messages': '[{"role":"assistant","parts":[{"type":"text","content":"hi"}]}]' }) }),
      events: details ? [{ name: 'gen_ai.client.inference.operation.details', attributes: attributes({ 'gen_ai.output.messages': '[{"role":"assistant","parts":[{"type":"text","content":"hi"}]}]' }) }] : [],
    });
    const read = (details: boolean) => fromOtel({ resourceSpans: [{ scopeSpans: [{ spans: [span(details)] }] }] }, { outcome: { score: 1, success: true } })[0].messages;
    expect(read(true)).toEqual([{ agent: 'assistant', content: 'hi' }]);
    expect(read(true)).toEqual(read(false));
  });

  it('a message attribute the SDK cut at its attribute length limit is an error naming the span, not a span left out', () => {
    const r = recorder(120);
    const answer = (content: string) => JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content }] }]);
    const turn = (name: string, at: number, attributes: Attributes) => {
      const agent = r.start(`invoke_agent ${name}`, at, { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': name });
      r.end(r.start('chat', at + 1, { 'gen_ai.operation.name': 'chat', ...attributes }, agent), at + 2);
      r.end(agent, at + 3);
    };
    turn('a', 0, { 'gen_ai.output.messages': answer('step one') });
    turn('b', 10, { 'gen_ai.output.messages': answer(`a very long answer ${'that goes on '.repeat(20)}`) });
    turn('a', 20, { 'gen_ai.output.messages': answer('step three') });
    const cut = r.spans().find((span) => String(span.attributes['gen_ai.output.messages']).length === 120)!;
    expect(() => fromOtel(r.otlp(), { outcome: { score: 1, success: true } })).toThrow(
      new RegExp(`^resourceSpans\\[0\\]\\.scopeSpans\\[0\\]\\.spans\\[2\\]\\.attributes\\["gen_ai\\.output\\.messages"\\]: span "chat" \\(spanId ${cut.spanContext().spanId}\\): expected a JSON list of messages, got text that is not valid JSON \\(cut by an attribute length limit such as OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT\\?\\) ending "`),
    );
    // The prompt too, and in a trace of one span: the error, not "expected at least one agent".
    const alone = recorder(60);
    alone.end(alone.start('chat', 0, { 'gen_ai.operation.name': 'chat', 'gen_ai.input.messages': JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: 'a question longer than the limit' }] }]), 'gen_ai.output.messages': '[]' }), 1);
    expect(() => fromOtel(alone.otlp(), { outcome: { score: 1, success: true } })).toThrow(/\["gen_ai\.input\.messages"\]: span "chat" \(spanId [0-9a-f]{16}\): expected a JSON list of messages, got text that is not valid JSON/);
  });

  it('a message attribute holding one message, not a list, is that message; JSON of another kind is an error, not a span left out', () => {
    const chat = (output: string) => {
      const r = recorder();
      r.end(r.start('chat', 0, { 'gen_ai.operation.name': 'chat', 'gen_ai.output.messages': output }), 1);
      return r.otlp();
    };
    const one = fromOtel(chat('{"role":"assistant","parts":[{"type":"text","content":"hi"}]}'), { outcome: { score: 1, success: true } })[0];
    expect(one.messages).toEqual([{ agent: 'assistant', content: 'hi' }]);
    for (const [output, got] of [['{}', 'object'], ['42', '42'], ['"hi"', '"hi"']] as const) {
      expect(() => fromOtel(chat(output), { outcome: { score: 1, success: true } })).toThrow(new RegExp(`\\["gen_ai\\.output\\.messages"\\]: span "chat" \\(spanId [0-9a-f]{16}\\): expected a JSON list of messages, got ${got}`));
    }
  });

  it('names what is wrong with spans that cannot be read', () => {
    expect(() => fromOtel({ resourceSpans: [{ scopeSpans: [{ spans: [{ name: 'x', traceId: 'a' }] }] }] })).toThrow(/resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[0\]\.spanId: expected the span's id/);
    expect(() => fromOtel({ spans: 3 })).toThrow(/expected OpenTelemetry spans/);
    // A time that cannot be read would order its span as if at 1970.
    const timed = (times: Record<string, unknown>) => ({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: 'a', spanId: 'b', name: 'chat', ...times }] }] }] });
    expect(() => fromOtel(timed({ startTimeUnixNano: 'yesterday' }))).toThrow(/resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[0\]\.startTimeUnixNano: span "chat" \(spanId b\): expected a time \(nanoseconds since the epoch, \[seconds, nanoseconds\] or an ISO 8601 date\), got "yesterday"/);
    expect(() => fromOtel([{ context: { trace_id: 'a', span_id: 'b' }, name: 'chat', start_time: '2025-03-19T16:44:53Z', end_time: '2025-13-45T00:00:00Z' }])).toThrow(/spans\[0\]\.end_time: span "chat" \(spanId b\): expected a time .*got "2025-13-45T00:00:00Z"/);
    const noEvaluation = { resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: 'a', spanId: 'b', name: 'chat', attributes: [{ key: 'gen_ai.operation.name', value: { stringValue: 'chat' } }, { key: 'gen_ai.output.messages', value: { stringValue: '[{"role":"assistant","parts":[{"type":"text","content":"hi"}]}]' } }] }] }] }] };
    expect(() => fromOtel(noEvaluation)).toThrow(/outcome: missing/);
    expect(fromOtel(noEvaluation, { outcome: { score: 1, success: true } })[0]).toMatchObject({ agents: ['assistant'], messages: [{ agent: 'assistant', content: 'hi' }] });
  });
});

describe('fromOtel: OpenInference spans (attribute names from @arizeai/openinference-semantic-conventions)', () => {
  it('AGENT spans name the turns, the TOOL span joins its caller, an agent without model spans speaks through output.value, the EVALUATOR gives the outcome', () => {
    const [record] = fromOtel(openInferenceTrace().otlp());
    const episode = parseEpisode(record);
    expect(episode.id).toBe('session-7');
    expect(episode.agents).toEqual(['researcher', 'writer']);
    expect(episode.messages.map((message) => [message.agent, message.content])).toEqual([
      ['user', 'Summarize the Q3 churn numbers.'],
      ['system', 'You query the warehouse.'],
      // The model's prompt adds a chart to the request: a new user turn, its image as a placeholder.
      ['user', 'Summarize the Q3 churn numbers.\n[image: image/png, 300 B]'],
      ['researcher', 'run_sql({"query":"select churn from q3"})\n[run_sql result] churn = 4.2%'],
      ['writer', 'Q3 churn was 4.2%, down from 5.1%.'],
    ]);
    // The evaluator's own model call is not a turn; its score and label are the outcome.
    expect(episode.outcome).toEqual({ score: 0.9, success: true });
  });

  it('nested attribute objects (Phoenix-style exports) read the same as flat keys', () => {
    const r = openInferenceTrace();
    const nested = (attributes: Attributes) => {
      const out: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(attributes)) {
        const path = key.split('.');
        let node = out as Record<string, unknown>;
        path.slice(0, -1).forEach((part) => (node = (node[part] ??= {}) as Record<string, unknown>));
        node[path[path.length - 1]] = value;
      }
      return out;
    };
    const phoenix = r.spans().map((span) => ({
      context: { trace_id: span.spanContext().traceId, span_id: span.spanContext().spanId },
      parent_id: span.parentSpanContext?.spanId ?? null,
      name: span.name,
      start_time: new Date(span.startTime[0] * 1000 + span.startTime[1] / 1e6).toISOString(),
      attributes: nested(span.attributes),
    }));
    expect(fromOtel(phoenix)[0].messages).toEqual(fromOtel(r.otlp())[0].messages);
  });
  it('a TOOL span with only tool.name answers the call once: the next prompt\'s tool message for that call id adds nothing', () => {
    const r = recorder();
    const kind = OI.OPENINFERENCE_SPAN_KIND;
    const message = (side: string, i: number, field: string) => `${side}.${i}.${field}`;
    const agent = r.start('calculator', 0, { [kind]: OpenInferenceSpanKind.AGENT, [OI.AGENT_NAME]: 'calculator', [OI.SESSION_ID]: 'calc-1' });
    const ask = r.start('ChatCompletion', 1, {
      [kind]: OpenInferenceSpanKind.LLM,
      [message(OI.LLM_INPUT_MESSAGES, 0, OI.MESSAGE_ROLE)]: 'user',
      [message(OI.LLM_INPUT_MESSAGES, 0, OI.MESSAGE_CONTENT)]: 'What is 6 * 7?',
      [message(OI.LLM_OUTPUT_MESSAGES, 0, OI.MESSAGE_ROLE)]: 'assistant',
      [message(OI.LLM_OUTPUT_MESSAGES, 0, `${OI.MESSAGE_TOOL_CALLS}.0.${OI.TOOL_CALL_ID}`)]: 'call_1',
      [message(OI.LLM_OUTPUT_MESSAGES, 0, `${OI.MESSAGE_TOOL_CALLS}.0.${OI.TOOL_CALL_FUNCTION_NAME}`)]: 'calc',
      [message(OI.LLM_OUTPUT_MESSAGES, 0, `${OI.MESSAGE_TOOL_CALLS}.0.${OI.TOOL_CALL_FUNCTION_ARGUMENTS_JSON}`)]: '{"x":1}',
    }, agent);
    r.end(ask, 2);
    const calc = r.start('calc', 3, { [kind]: OpenInferenceSpanKind.TOOL, [OI.TOOL_NAME]: 'calc', [OI.OUTPUT_VALUE]: '42' }, agent);
    r.end(calc, 4);
    const answer = r.start('ChatCompletion', 5, {
      [kind]: OpenInferenceSpanKind.LLM,
      [message(OI.LLM_INPUT_MESSAGES, 0, OI.MESSAGE_ROLE)]: 'user',
      [message(OI.LLM_INPUT_MESSAGES, 0, OI.MESSAGE_CONTENT)]: 'What is 6 * 7?',
      [message(OI.LLM_INPUT_MESSAGES, 1, OI.MESSAGE_ROLE)]: 'tool',
      [message(OI.LLM_INPUT_MESSAGES, 1, OI.MESSAGE_TOOL_CALL_ID)]: 'call_1',
      [message(OI.LLM_INPUT_MESSAGES, 1, OI.MESSAGE_CONTENT)]: '42',
      [message(OI.LLM_OUTPUT_MESSAGES, 0, OI.MESSAGE_ROLE)]: 'assistant',
      [message(OI.LLM_OUTPUT_MESSAGES, 0, OI.MESSAGE_CONTENT)]: 'It is 42',
    }, agent);
    r.end(answer, 6);
    r.end(agent, 7);
    const [record] = fromOtel(r.otlp(), { outcome: { score: 1, success: true } });
    expect(parseEpisode(record).messages.map((m) => [m.agent, m.content])).toEqual([
      ['user', 'What is 6 * 7?'],
      ['calculator', 'calc({"x":1})\n[calc result] 42\nIt is 42'],
    ]);
  });
});

describe('fromOtel on big and malformed span trees', () => {
  const failed = { score: 0, success: false };
  const agentSpan = (spanId: string, parentId: string | undefined, name: string) => ({ traceId: 't', spanId, parentId, name: `invoke_agent ${name}`, attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': name } });
  const chatSpan = (spanId: string, parentId: string, text: string) => ({
    traceId: 't', spanId, parentId, name: 'chat',
    attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.output.messages': JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: text }] }]) },
  });

  it('agents nested 20,000 deep (each hands off to a sub-agent) read in linear time', () => {
    // Each span's agent was found by a walk up its whole parent chain: 8,000 spans took 4 s, these 40,000 about 100 s.
    const spans: object[] = [];
    for (let i = 0; i < 20_000; i++) {
      spans.push(agentSpan(`a${i}`, i === 0 ? undefined : `a${i - 1}`, i % 2 === 0 ? 'planner' : 'coder'));
      spans.push(chatSpan(`c${i}`, `a${i}`, `step ${i}`));
    }
    const [record] = fromOtel(spans, { outcome: failed, errors: [{ location: 'a19999' }] });
    const messages = parseEpisode(record).messages;
    expect(messages).toHaveLength(20_000);
    expect(messages[19_999]).toMatchObject({ agent: 'coder', content: 'step 19999', label: 'error' });
  });

  it('a span with 150,000 children below a span in ERROR: the search for an error below it does not overflow the stack', () => {
    // The children were pushed as one spread of arguments: a RangeError past about 120,000.
    const spans: object[] = [{ traceId: 't', spanId: 'run', name: 'run', attributes: {}, status: { code: 2, message: 'crashed' } }, agentSpan('a', 'run', 'planner'), agentSpan('b', 'a', 'worker')];
    spans.push(chatSpan('c', 'b', 'working'));
    for (let i = 0; i < 150_000; i++) spans.push({ traceId: 't', spanId: `s${i}`, parentId: 'b', name: 'step' });
    const [record] = fromOtel(spans, { outcome: failed });
    expect(record.messages).toEqual([{ agent: 'worker', content: 'working', label: 'error' }]);
  });

  it('a parent chain that loops (a malformed export) ends: an error located on it labels its turn instead of hanging', () => {
    // a and b are each other's parent; the walk below the annotated span a went round them forever.
    const spans = [agentSpan('a', 'b', 'planner'), agentSpan('b', 'a', 'coder'), chatSpan('c', 'a', 'hi')];
    const [record] = fromOtel({ spans, errors: [{ location: 'a' }] }, { outcome: failed });
    expect(parseEpisode(record).messages.map(({ agent, content, label }) => ({ agent, content, label }))).toEqual([{ agent: 'planner', content: 'hi', label: 'error' }]);
  });
});

describe('agent-credit attribute on OTLP JSONL (one export request per line, as the collector file exporter writes)', () => {
  it('a trace whose spans are spread over lines, two traces interleaved, gives one whole episode per conversation', async () => {
    const first = genAiTrace('conv-a');
    const second = genAiTrace('conv-b', 100);
    // A simple span processor exports each span as it ends: one request per span, children before their parents.
    const requests = [first.spans(), second.spans()].flatMap((spans) => spans.map((span) => new TextDecoder().decode(JsonTraceSerializer.serializeRequest([span]))));
    const interleaved = requests.map((_, k) => requests[k % 2 === 0 ? k / 2 : requests.length / 2 + (k - 1) / 2]);
    const file = join(tempDir('otlp-'), 'traces.jsonl');
    writeFileSync(file, interleaved.join('\n') + '\n');
    const { code, stdout, stderr } = await cli('attribute', file, '--workers', '0');
    expect(code, stderr).toBe(0);
    const rows = stdout.trim().split('\n').map((line) => JSON.parse(line) as { id: string; firstError: { index: number; agent: string } });
    expect(rows.map((row) => row.id)).toEqual(['conv-a', 'conv-b']);
    expect(rows.map((row) => row.firstError)).toEqual([expect.objectContaining({ index: 6, agent: 'booker' }), expect.objectContaining({ index: 6, agent: 'booker' })]);
  });
});
