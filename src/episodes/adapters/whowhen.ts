// Who&When failure logs (Zhang et al., ICML 2025): { question, history,
// mistake_agent, mistake_step, ... }. The agent is in `name` (Algorithm-
// Generated, AG2) or in `role` with a suffix such as "Orchestrator (thought)"
// (Hand-Crafted, Magentic-One). mistake_step is a 0-based index into history,
// stored as a string (or an integer); that message gets the `error` label.
// The evaluation may travel beside the log, as for every adapter.
import { InputError } from '../../core/errors.js';
import { describe } from '../../core/validate.js';
import { episodeRecord, isRecord, optionalString, stringField, textOf, type AdapterDefaults } from './common.js';

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
    throw new InputError([{ path: 'mistake_step', message: `expected a 0-based index into history (${range}) as an integer or a string of digits, got ${typeof value === 'boolean' ? value : describe(value)}` }]);
  }
  return step;
}

/** question_ID as an episode id: strings as they are, numbers spelled out. */
function questionId(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return optionalString(value);
}

/**
 * An episode v1 record from a Who&When log: a failure (unless `is_correct`),
 * the task from `question`, the id from `question_ID`, and the `error` label
 * on the message at `mistake_step`. Episode fields beside the log (`id`,
 * `task`, `agents`, `outcome`, `coalitions`, `repairs`) are kept, and win
 * over what the log implies.
 */
export function fromWhoWhen(record: unknown, defaults: AdapterDefaults = {}): Record<string, unknown> {
  if (!isRecord(record) || !Array.isArray(record.history)) throw new InputError([{ path: 'history', message: `expected a Who&When log with a "history" array, got ${describe(record)}` }]);
  const history = record.history;
  const step = mistakeStep(record.mistake_step, history.length);
  const turns = history.map((message, i) => {
    const path = `history[${i}]`;
    if (!isRecord(message)) throw new InputError([{ path, message: `expected a message object { content, role, name? }, got ${describe(message)}` }]);
    const agent = optionalString(message.name) ?? whoWhenAgent(stringField(message, 'role', path));
    return { agent, content: textOf(message.content), ...(i === step ? { label: 'error' } : {}) };
  });
  const success = record.is_correct === true;
  const implied = { score: success ? 1 : 0, success };
  const outcome = record.outcome ?? ('is_correct' in record ? implied : (defaults.outcome ?? implied));
  const beside = { ...record, outcome, id: record.id ?? questionId(record.question_ID) };
  const task = defaults.task ?? optionalString(record.question);
  return episodeRecord(turns, beside, { ...defaults, task });
}
