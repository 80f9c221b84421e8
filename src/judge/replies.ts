// The reply each judgement must get, whatever its prompt says: a JSON Schema
// for servers that constrain their output (response_format json_schema, in
// the strict form OpenAI requires) and a zod check for every reply, with
// the messages' numbering checked against the transcript shown. A reply
// that skips, repeats or invents a message number does not fit.
import * as z from 'zod/mini';
import { MESSAGE_LABELS, type MessageLabel } from '../episodes/vocabulary.js';
import { formatPath } from '../core/validate.js';
import type { TranscriptView } from './transcript.js';

export type ReplyCheck<T> = { ok: true; value: T } | { ok: false; issues: string[] };

export interface ReplyContract<T> {
  /** response_format.json_schema.name */
  name: string;
  jsonSchema: Record<string, unknown>;
  read(reply: unknown, view: TranscriptView): ReplyCheck<T>;
}

export interface LabelReply {
  label: MessageLabel;
  score: number;
  reason: string;
}

const strictObject = (properties: Record<string, unknown>) => ({
  type: 'object',
  properties,
  required: Object.keys(properties),
  additionalProperties: false,
});

const inRange = (low: number, high: number, what: string) =>
  z.number({ error: `expected ${what} as a number from ${low} to ${high}` }).check(
    z.gte(low, { error: `expected ${what} from ${low} to ${high}` }),
    z.lte(high, { error: `expected ${what} from ${low} to ${high}` }),
  );

const messageNumber = z.number({ error: 'expected the message number as an integer' }).check(z.int({ error: 'expected the message number as an integer' }));

function zodIssues(error: z.core.$ZodError): string[] {
  return error.issues.map((issue) => {
    const path = formatPath(issue.path);
    return path ? `${path}: ${issue.message}` : issue.message;
  });
}

/** The entries of a per-message reply in message order, or what is wrong with their numbering. */
function byMessage<E extends { message: number }>(entries: E[], view: TranscriptView): ReplyCheck<E[]> {
  const count = view.messages.length;
  const slots: Array<E | undefined> = Array.from({ length: count }, () => undefined);
  const issues: string[] = [];
  for (const entry of entries) {
    if (entry.message < 1 || entry.message > count) issues.push(`message ${entry.message} does not exist: the transcript has messages 1 to ${count}`);
    else if (slots[entry.message - 1]) issues.push(`message ${entry.message} appears more than once`);
    else slots[entry.message - 1] = entry;
  }
  const missing = slots.flatMap((slot, i) => (slot ? [] : [i + 1]));
  if (missing.length > 0) issues.push(`message${missing.length > 1 ? 's' : ''} ${missing.join(', ')} missing: cover every message from 1 to ${count}`);
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: slots as E[] };
}

const valueSchema = z.object({ value: inRange(0, 1, 'value'), reason: z.optional(z.string()) }, { error: 'expected a JSON object {"value": ..., "reason": ...}' });

export const valueReply: ReplyContract<number> = {
  name: 'value',
  jsonSchema: strictObject({ value: { type: 'number', description: 'from 0 to 1' }, reason: { type: 'string' } }),
  read(reply) {
    const parsed = valueSchema.safeParse(reply);
    return parsed.success ? { ok: true, value: parsed.data.value } : { ok: false, issues: zodIssues(parsed.error) };
  },
};

const recoverableSchema = z.object({ recoverable: z.boolean({ error: 'expected true or false' }), reason: z.optional(z.string()) }, { error: 'expected a JSON object {"recoverable": ..., "reason": ...}' });

export const recoverableReply: ReplyContract<boolean> = {
  name: 'recoverable',
  jsonSchema: strictObject({ recoverable: { type: 'boolean' }, reason: { type: 'string' } }),
  read(reply) {
    const parsed = recoverableSchema.safeParse(reply);
    return parsed.success ? { ok: true, value: parsed.data.recoverable } : { ok: false, issues: zodIssues(parsed.error) };
  },
};

const labelsSchema = z.object({
  messages: z.array(z.object({
    message: messageNumber,
    label: z.enum(MESSAGE_LABELS, { error: `expected one of ${MESSAGE_LABELS.join(', ')}` }),
    score: inRange(-1, 1, 'score'),
    reason: z.string({ error: 'expected a one-line reason' }),
  }), { error: 'expected messages as an array' }),
}, { error: 'expected a JSON object {"messages": [...]}' });

export const labelsReply: ReplyContract<LabelReply[]> = {
  name: 'labels',
  jsonSchema: strictObject({
    messages: {
      type: 'array',
      items: strictObject({
        message: { type: 'integer' },
        label: { type: 'string', enum: [...MESSAGE_LABELS] },
        score: { type: 'number', description: 'from -1 to 1' },
        reason: { type: 'string' },
      }),
    },
  }),
  read(reply, view) {
    const parsed = labelsSchema.safeParse(reply);
    if (!parsed.success) return { ok: false, issues: zodIssues(parsed.error) };
    const ordered = byMessage(parsed.data.messages, view);
    return ordered.ok ? { ok: true, value: ordered.value.map(({ label, score, reason }) => ({ label, score, reason })) } : ordered;
  },
};

const prefixSchema = z.object({
  messages: z.array(z.object({ message: messageNumber, success: inRange(0, 1, 'success') }), { error: 'expected messages as an array' }),
}, { error: 'expected a JSON object {"messages": [...]}' });

export const prefixValuesReply: ReplyContract<number[]> = {
  name: 'prefix_values',
  jsonSchema: strictObject({
    messages: { type: 'array', items: strictObject({ message: { type: 'integer' }, success: { type: 'number', description: 'from 0 to 1' } }) },
  }),
  read(reply, view) {
    const parsed = prefixSchema.safeParse(reply);
    if (!parsed.success) return { ok: false, issues: zodIssues(parsed.error) };
    const ordered = byMessage(parsed.data.messages, view);
    return ordered.ok ? { ok: true, value: ordered.value.map((entry) => entry.success) } : ordered;
  },
};
