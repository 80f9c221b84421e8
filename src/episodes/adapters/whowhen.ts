// Who&When failure logs (Zhang et al., ICML 2025): { question, history,
// mistake_agent, mistake_step, mistake_reason, ground_truth, level, ... }.
// The agent is in `name` (Algorithm-Generated, AG2) or in `role` with a
// suffix such as "Orchestrator (thought)" (Hand-Crafted, Magentic-One).
// mistake_step is a 0-based index into history, stored as a string (or an
// integer); that message gets the `error` label. Every field of the log other
// than history and question travels in the episode's `annotations`; the
// outcome is `is_correct` (Algorithm-Generated) or `is_corrected`
// (Hand-Crafted), and the evaluation may travel beside the log, as for every
// adapter. The human's turns are context.
import { InputError } from '../../core/errors.js';
import { describe } from '../../core/validate.js';
import { ADAPTER_OPTIONS, adapterOptions, CONTEXT_ROLES, episodeRecord, isRecord, optionalString, stringField, textOf, type AdapterDefaults, type Turn } from './common.js';

/** "Orchestrator (thought)" -> "Orchestrator", "Orchestrator (-> WebSurfer)" -> "Orchestrator". */
export function whoWhenAgent(role: string): string {
  return role.replace(/\s*\([^)]*\)\s*$/, '');
}

/** mistake_step as an index: an integer or a string of digits (as the dataset stores it); anything else is an error naming it. */
function mistakeStep(value: unknown, length: number): number | undefined {
  if (value === undefined) return undefined;
  const step = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(Number.isInteger(step) && step >= 0 && step < length)) {
    const range = length > 0 ? `0..${length - 1}` : 'history is empty';
    throw new InputError([{ path: 'mistake_step', message: `expected a 0-based index into history (${range}) as an integer or a string of digits, got ${describe(value)}` }]);
  }
  return step;
}

/** question_ID as an episode id: strings as they are, numbers spelled out. */
function questionId(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return optionalString(value);
}

/** Fields of a log that are the transcript or episode fields, not annotations. */
const NOT_ANNOTATIONS = new Set(['history', 'question', 'id', 'task', 'agents', 'context', 'outcome', 'coalitions', 'repairs', 'annotations']);

/** The outcome flag: is_correct (Algorithm-Generated) or is_corrected (Hand-Crafted), as a boolean or "True"/"False". */
function correctFlag(record: Record<string, unknown>): boolean | undefined {
  for (const key of ['is_correct', 'is_corrected']) {
    const value = record[key];
    if (typeof value === 'boolean') return value;
    if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
    if (value !== undefined && value !== null) throw new InputError([{ path: key, message: `expected true or false, got ${describe(value)}` }]);
  }
  return undefined;
}

/**
 * An episode v1 record from a Who&When log: a failure unless `is_correct` /
 * `is_corrected` say otherwise, the task from `question`, the id from
 * `question_ID`, the `error` label on the message at `mistake_step`, and the
 * log's other fields in `annotations`. Episode fields beside the log (`id`,
 * `task`, `agents`, `outcome`, `coalitions`, `repairs`, `annotations`) are
 * kept, and win over what the log implies.
 */
export function fromWhoWhen(record: unknown, given: AdapterDefaults | null = {}): Record<string, unknown> {
  const defaults = adapterOptions(given, ADAPTER_OPTIONS);
  if (!isRecord(record) || !Array.isArray(record.history)) throw new InputError([{ path: 'history', message: `expected a Who&When log with a "history" array, got ${describe(record)}` }]);
  const history = record.history;
  const step = mistakeStep(record.mistake_step, history.length);
  const turns = history.map((message, i): Turn => {
    const path = `history[${i}]`;
    if (!isRecord(message)) throw new InputError([{ path, message: `expected a message object { content, role, name? }, got ${describe(message)}` }]);
    const agent = optionalString(message.name) ?? whoWhenAgent(stringField(message, 'role', path));
    const turn: Turn = { agent, content: textOf(message.content, `${path}.content`, defaults) };
    if (CONTEXT_ROLES.has(agent.toLowerCase())) turn.context = true;
    if (i === step) turn.label = 'error';
    return turn;
  });
  const correct = correctFlag(record);
  const implied = { score: correct ? 1 : 0, success: correct === true };
  const outcome = record.outcome ?? (correct !== undefined ? implied : (defaults.outcome ?? implied));
  const annotations: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) if (!NOT_ANNOTATIONS.has(key)) annotations[key] = value;
  const beside = { ...record, outcome, id: record.id ?? questionId(record.question_ID), annotations: record.annotations ?? annotations };
  const task = defaults.task ?? optionalString(record.question);
  return episodeRecord(turns, beside, { ...defaults, task });
}
