// Spans in the shapes they are exported in, brought to one form: OTLP JSON
// (resourceSpans[].scopeSpans[].spans[], as the OTLP/HTTP JSON exporter and
// the collector's file exporter write it, attributes as [{ key, value }]),
// plain lists of spans with flat or nested attribute objects (Phoenix,
// Langfuse and similar exports), and TRAIL's span trees (child_spans).
import { InputError } from '../../core/errors.js';
import { describe } from '../../core/validate.js';
import { isRecord } from './common.js';

export interface SpanEvent {
  name: string;
  attributes: Record<string, unknown>;
}

/** One span in normal form. */
export interface Span {
  traceId: string;
  spanId: string;
  parentId?: string;
  name: string;
  /** Start and end in nanoseconds since the epoch (0n when the export has none). */
  start: bigint;
  end: bigint;
  /** Position in the input, to keep spans that start together in input order. */
  order: number;
  /** Where the span is in the input (resourceSpans[0].scopeSpans[0].spans[3]), for errors. */
  path: string;
  /** Flat attributes: dotted keys, except the GenAI attributes that hold JSON documents. */
  attributes: Record<string, unknown>;
  /** The status message of a span whose status is ERROR ('' when it has none); undefined otherwise. */
  error?: string;
  events: SpanEvent[];
}

/** GenAI attributes whose values are whole JSON documents: kept as they are, never flattened. */
const DOCUMENTS = new Set(['gen_ai.input.messages', 'gen_ai.output.messages', 'gen_ai.system_instructions', 'gen_ai.tool.definitions', 'gen_ai.tool.call.arguments', 'gen_ai.tool.call.result']);

/** An OTLP AnyValue ({ stringValue }, { intValue }, { arrayValue: { values } }, ...) as a plain value. */
function anyValue(value: unknown): unknown {
  if (!isRecord(value)) return value;
  if ('stringValue' in value) return value.stringValue;
  if ('boolValue' in value) return value.boolValue;
  if ('intValue' in value) return Number(value.intValue);
  if ('doubleValue' in value) return Number(value.doubleValue);
  if (isRecord(value.arrayValue)) return Array.isArray(value.arrayValue.values) ? value.arrayValue.values.map(anyValue) : [];
  if (isRecord(value.kvlistValue)) return keyValues(value.kvlistValue.values);
  if ('bytesValue' in value) return `[bytes: ${typeof value.bytesValue === 'string' ? Math.floor((value.bytesValue.length * 3) / 4) : 0} B]`;
  return undefined;
}

function keyValues(list: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (Array.isArray(list)) for (const item of list) if (isRecord(item) && typeof item.key === 'string') out[item.key] = anyValue(item.value);
  return out;
}

/** Nested attribute objects ({ llm: { input_messages: [...] } }) as dotted keys; GenAI documents and primitive lists kept whole. */
function flatten(value: Record<string, unknown>, prefix: string, out: Record<string, unknown>): Record<string, unknown> {
  for (const [key, item] of Object.entries(value)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (DOCUMENTS.has(path)) out[path] = item;
    else if (isRecord(item)) flatten(item, path, out);
    else if (Array.isArray(item) && item.some((element) => isRecord(element))) item.forEach((element, i) => (isRecord(element) ? flatten(element, `${path}.${i}`, out) : (out[`${path}.${i}`] = element)));
    else out[path] = item;
  }
  return out;
}

function attributesOf(span: Record<string, unknown>): Record<string, unknown> {
  const raw = span.attributes ?? span.span_attributes ?? span.spanAttributes;
  if (Array.isArray(raw)) return keyValues(raw);
  return isRecord(raw) ? flatten(raw, '', {}) : {};
}

/** Nanoseconds from "2025-03-19T16:44:53.734385Z" (sub-millisecond digits kept). */
function isoNanos(text: string): bigint | undefined {
  const millis = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text}Z`);
  if (!Number.isFinite(millis)) return undefined;
  const fraction = /\.(\d+)/.exec(text)?.[1] ?? '';
  const extra = fraction.length > 3 ? BigInt(fraction.slice(3, 9).padEnd(6, '0')) : 0n;
  return BigInt(Math.floor(millis)) * 1_000_000n + extra;
}

function nanos(value: unknown): bigint | undefined {
  if (typeof value === 'string' && /^\d+$/.test(value)) return BigInt(value);
  if (typeof value === 'number' && Number.isFinite(value)) return BigInt(Math.round(value));
  if (Array.isArray(value) && value.length === 2 && value.every((part) => typeof part === 'number')) return BigInt(value[0]) * 1_000_000_000n + BigInt(value[1]);
  if (typeof value === 'string') return isoNanos(value);
  return undefined;
}

const START_FIELDS = ['startTimeUnixNano', 'start_time_unix_nano', 'startTime', 'start_time', 'timestamp'];
const END_FIELDS = ['endTimeUnixNano', 'end_time_unix_nano', 'endTime', 'end_time'];

/**
 * A span's time from the first of `fields` it has, undefined when it has none (some
 * exports carry no times). A time that is there but cannot be read is an error: read
 * as none, it would order its span as if at 1970.
 */
function timeOf(span: Record<string, unknown>, fields: string[], path: string, name: string, spanId: string): bigint | undefined {
  const field = fields.find((key) => span[key] !== undefined && span[key] !== null && span[key] !== '');
  if (field === undefined) return undefined;
  const time = nanos(span[field]);
  if (time === undefined) throw new InputError([{ path: `${path}.${field}`, message: `span ${JSON.stringify(name)} (spanId ${spanId}): expected a time (nanoseconds since the epoch, [seconds, nanoseconds] or an ISO 8601 date), got ${describe(span[field])}` }]);
  return time;
}

const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : undefined);

/** The status message of a span in ERROR, else undefined. */
function errorOf(span: Record<string, unknown>): string | undefined {
  const status = isRecord(span.status) ? span.status : undefined;
  const code = status?.code ?? span.status_code ?? span.statusCode;
  const isError = code === 2 || (typeof code === 'string' && /^(status_code_)?error$/i.test(code));
  if (!isError) return undefined;
  return text(status?.message) ?? text(span.status_message) ?? text(span.statusMessage) ?? '';
}

function eventsOf(span: Record<string, unknown>): SpanEvent[] {
  if (!Array.isArray(span.events)) return [];
  return span.events.filter(isRecord).map((event) => ({ name: String(event.name ?? event.Name ?? ''), attributes: attributesOf(event) }));
}

function normal(span: Record<string, unknown>, order: number, path: string, traceFallback: string | undefined, parentFallback: string | undefined): Span {
  const context = isRecord(span.context) ? span.context : isRecord(span.spanContext) ? span.spanContext : {};
  const parentContext = isRecord(span.parentSpanContext) ? span.parentSpanContext : {};
  const spanId = text(span.spanId) ?? text(span.span_id) ?? text(context.span_id) ?? text(context.spanId) ?? text(span.id);
  const traceId = text(span.traceId) ?? text(span.trace_id) ?? text(context.trace_id) ?? text(context.traceId) ?? traceFallback;
  if (!spanId) throw new InputError([{ path: `${path}.spanId`, message: `expected the span's id (spanId, span_id or context.span_id), got ${describe(span.spanId ?? span.span_id)}` }]);
  if (!traceId) throw new InputError([{ path: `${path}.traceId`, message: `expected the span's trace id (traceId, trace_id or context.trace_id), got ${describe(span.traceId ?? span.trace_id)}` }]);
  const name = text(span.name) ?? text(span.span_name) ?? '';
  const start = timeOf(span, START_FIELDS, path, name, spanId) ?? 0n;
  const end = timeOf(span, END_FIELDS, path, name, spanId) ?? start;
  const normalSpan: Span = {
    traceId, spanId, start, end, order, path, name,
    parentId: text(span.parentSpanId) ?? text(span.parent_span_id) ?? text(span.parent_id) ?? text(span.parentId) ?? text(parentContext.spanId) ?? parentFallback,
    attributes: attributesOf(span),
    events: eventsOf(span),
  };
  // The GenAI conventions may record a call's messages on a gen_ai.client.inference.operation.details event instead of the span.
  for (const event of normalSpan.events) {
    if (event.name !== 'gen_ai.client.inference.operation.details') continue;
    for (const [key, value] of Object.entries(event.attributes)) if (key.startsWith('gen_ai.') && !(key in normalSpan.attributes)) normalSpan.attributes[key] = value;
  }
  const error = errorOf(span);
  if (error !== undefined) normalSpan.error = error;
  return normalSpan;
}

/** Whether a value looks like an OTLP export request or a span list (for format detection too). */
export function isSpanLike(value: unknown): boolean {
  return isRecord(value) && (typeof (value.spanId ?? value.span_id) === 'string' || (isRecord(value.context) && typeof value.context.span_id === 'string'));
}

/**
 * The spans of an OTLP JSON document (or a list of them), a list of spans, or
 * { spans } (TRAIL: a tree through child_spans), in normal form.
 */
export function spansOf(input: unknown): Span[] {
  const spans: Span[] = [];
  const visit = (span: unknown, path: string, trace: string | undefined, parent: string | undefined) => {
    if (!isRecord(span)) throw new InputError([{ path, message: `expected a span object, got ${describe(span)}` }]);
    const normalSpan = normal(span, spans.length, path, trace, parent);
    spans.push(normalSpan);
    if (Array.isArray(span.child_spans)) span.child_spans.forEach((child, i) => visit(child, `${path}.child_spans[${i}]`, normalSpan.traceId, normalSpan.spanId));
  };
  const request = (document: Record<string, unknown>, path: string) => {
    (document.resourceSpans as unknown[]).forEach((resource, r) => {
      if (!isRecord(resource)) throw new InputError([{ path: `${path}resourceSpans[${r}]`, message: `expected { resource, scopeSpans }, got ${describe(resource)}` }]);
      const scopes = resource.scopeSpans ?? resource.instrumentationLibrarySpans;
      if (!Array.isArray(scopes)) throw new InputError([{ path: `${path}resourceSpans[${r}].scopeSpans`, message: `expected a list of { scope, spans }, got ${describe(scopes)}` }]);
      scopes.forEach((scope, s) => {
        const list = isRecord(scope) ? scope.spans : undefined;
        if (!Array.isArray(list)) throw new InputError([{ path: `${path}resourceSpans[${r}].scopeSpans[${s}].spans`, message: `expected a list of spans, got ${describe(list)}` }]);
        list.forEach((span, k) => visit(span, `${path}resourceSpans[${r}].scopeSpans[${s}].spans[${k}]`, undefined, undefined));
      });
    });
  };
  if (isRecord(input) && Array.isArray(input.resourceSpans)) request(input, '');
  else if (Array.isArray(input) && input.length > 0 && input.every((item) => isRecord(item) && Array.isArray(item.resourceSpans))) input.forEach((item, i) => request(item as Record<string, unknown>, `[${i}].`));
  else if (Array.isArray(input)) input.forEach((span, i) => visit(span, `spans[${i}]`, undefined, undefined));
  else if (isRecord(input) && Array.isArray(input.spans)) input.spans.forEach((span, i) => visit(span, `spans[${i}]`, text(input.trace_id) ?? text(input.traceId), undefined));
  else throw new InputError(`expected OpenTelemetry spans: OTLP JSON { resourceSpans: [{ scopeSpans: [{ spans }] }] }, a list of spans or { spans }; got ${describe(input)}`);
  return spans;
}
