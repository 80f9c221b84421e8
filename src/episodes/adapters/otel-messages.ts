// The chat messages a span carries, in the three attribute conventions found
// in traces: OpenTelemetry GenAI (gen_ai.input.messages / gen_ai.output.messages
// as JSON documents of { role, parts }), OpenInference
// (llm.input_messages.N.message.role, .content, .contents.M.message_content.*,
// .tool_calls.M.tool_call.*) and OpenLLMetry (gen_ai.prompt.N.role / .content,
// gen_ai.completion.N.*).
import { InputError } from '../../core/errors.js';
import { describe } from '../../core/validate.js';
import { textOf, type ContentOptions } from './content.js';
import { isRecord, optionalString } from './common.js';
import type { Span } from './otel-spans.js';

/** A tool call made in a message. */
export interface SpanCall {
  id?: string;
  name: string;
  args: unknown;
}

/** One chat message of a span, tool calls and tool results apart from its text. */
export interface SpanMessage {
  role: string;
  name?: string;
  text: string;
  calls: SpanCall[];
  /** Tool results the message carries (a tool message, or tool_call_response parts), by call id. */
  results: Array<{ id?: string; text: string }>;
}

/** A GenAI attribute holding a JSON document: parsed when it is a string. */
function document(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/**
 * gen_ai.input.messages / gen_ai.output.messages, parsed. Text that is not JSON is an
 * error, not a span without messages: it is most often a document the SDK cut at its
 * attribute length limit, and leaving the span out would give another episode in silence.
 */
function messagesDocument(span: Span, key: string): unknown[] {
  const value = span.attributes[key];
  const path = `${span.path}.attributes[${JSON.stringify(key)}]`;
  const where = `span ${JSON.stringify(span.name)} (spanId ${span.spanId})`;
  let document: unknown = value;
  if (typeof value === 'string') {
    try {
      document = JSON.parse(value);
    } catch {
      const ending = value.length > 40 ? `…${value.slice(-40)}` : value;
      throw new InputError([{
        path,
        message: `${where}: expected a JSON list of messages, got text that is not valid JSON (cut by an attribute length limit such as OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT?) ending ${JSON.stringify(ending)}`,
      }]);
    }
  }
  if (Array.isArray(document)) return document;
  // One message written alone, not in a list, is that message; anything else would drop the span's messages in silence.
  if (isRecord(document) && ('role' in document || 'parts' in document)) return [document];
  throw new InputError([{ path, message: `${where}: expected a JSON list of messages, got ${describe(document)}` }]);
}

function genAiMessages(list: unknown, options: ContentOptions): SpanMessage[] {
  if (!Array.isArray(list)) return [];
  return list.filter(isRecord).map((message) => {
    const parts = Array.isArray(message.parts) ? message.parts : [message.content];
    const calls: SpanCall[] = [];
    const results: SpanMessage['results'] = [];
    const rest = parts.filter((part) => {
      if (isRecord(part) && part.type === 'tool_call') calls.push({ id: optionalString(part.id), name: String(part.name), args: part.arguments });
      else if (isRecord(part) && part.type === 'tool_call_response') results.push({ id: optionalString(part.id), text: textOf(part.response ?? part.result, 'response', options) });
      else return true;
      return false;
    });
    return { role: String(message.role ?? 'assistant'), name: optionalString(message.name), text: textOf(rest, 'parts', options), calls, results };
  });
}

/** Entries prefix.0.*, prefix.1.*, ... of flat attributes, each as its own flat object (keys after the index). */
function indexed(attributes: Record<string, unknown>, prefix: string): Array<Record<string, unknown>> {
  const entries: Array<Record<string, unknown>> = [];
  const start = `${prefix}.`;
  for (const [key, value] of Object.entries(attributes)) {
    if (!key.startsWith(start)) continue;
    const match = /^(\d+)\.(.+)$/.exec(key.slice(start.length));
    if (!match) continue;
    (entries[Number(match[1])] ??= {})[match[2]] = value;
  }
  return entries.filter(Boolean);
}

function openInferenceMessages(attributes: Record<string, unknown>, prefix: string, options: ContentOptions): SpanMessage[] {
  return indexed(attributes, prefix).map((message) => {
    const parts = indexed(message, 'message.contents').map((part) => {
      const type = part['message_content.type'];
      if (type === 'image') return { type: 'image_url', image_url: { url: part['message_content.image.image.url'] } };
      if (type === 'audio') return { type: 'audio', url: part['message_content.audio.audio.url'] };
      return { type: 'text', text: part['message_content.text'] ?? '' };
    });
    const calls = indexed(message, 'message.tool_calls').map((call) => ({
      id: optionalString(call['tool_call.id']),
      name: String(call['tool_call.function.name'] ?? 'tool'),
      args: call['tool_call.function.arguments'],
    }));
    if (typeof message['message.function_call_name'] === 'string') calls.push({ id: undefined, name: message['message.function_call_name'], args: message['message.function_call_arguments_json'] });
    const role = String(message['message.role'] ?? 'assistant');
    const text = textOf(parts.length > 0 ? parts : message['message.content'], `${prefix}.message.content`, options);
    const toolCallId = optionalString(message['message.tool_call_id']);
    const isResult = role === 'tool' && toolCallId !== undefined;
    return { role, name: optionalString(message['message.name']), text: isResult ? '' : text, calls, results: isResult ? [{ id: toolCallId, text }] : [] };
  });
}

function openLlmetryMessages(attributes: Record<string, unknown>, prefix: string, options: ContentOptions): SpanMessage[] {
  return indexed(attributes, prefix).map((message) => {
    const calls = indexed(message, 'tool_calls').map((call) => ({ id: optionalString(call.id), name: String(call.name ?? 'tool'), args: call.arguments }));
    const role = String(message.role ?? 'assistant');
    const text = textOf(document(message.content), `${prefix}.content`, options);
    const toolCallId = optionalString(message.tool_call_id);
    const isResult = role === 'tool' && toolCallId !== undefined;
    return { role, text: isResult ? '' : text, calls, results: isResult ? [{ id: toolCallId, text }] : [] };
  });
}

/** The input messages of a span (the prompt it was given), in whichever convention it uses. */
export function inputMessages(span: Span, options: ContentOptions): SpanMessage[] {
  const attributes = span.attributes;
  const system = attributes['gen_ai.system_instructions'];
  const instructions: SpanMessage[] = system === undefined ? [] : [{ role: 'system', text: textOf(document(system), 'gen_ai.system_instructions', options), calls: [], results: [] }];
  if (attributes['gen_ai.input.messages'] !== undefined) return [...instructions, ...genAiMessages(messagesDocument(span, 'gen_ai.input.messages'), options)];
  const openInference = openInferenceMessages(attributes, 'llm.input_messages', options);
  if (openInference.length > 0) return [...instructions, ...openInference];
  return [...instructions, ...openLlmetryMessages(attributes, 'gen_ai.prompt', options)];
}

/** The output messages of a span (what the model or agent answered). */
export function outputMessages(span: Span, options: ContentOptions): SpanMessage[] {
  const attributes = span.attributes;
  if (attributes['gen_ai.output.messages'] !== undefined) return genAiMessages(messagesDocument(span, 'gen_ai.output.messages'), options);
  const openInference = openInferenceMessages(attributes, 'llm.output_messages', options);
  if (openInference.length > 0) return openInference;
  return openLlmetryMessages(attributes, 'gen_ai.completion', options);
}

/** A span's plain input.value / output.value (OpenInference), when it is text rather than a JSON document. */
export function plainValue(attributes: Record<string, unknown>, key: 'input' | 'output'): string | undefined {
  const value = attributes[`${key}.value`];
  const mime = attributes[`${key}.mime_type`];
  if (typeof value !== 'string' || value === '') return undefined;
  if (mime === 'application/json' || (mime === undefined && /^\s*[[{]/.test(value))) return undefined;
  return value;
}
