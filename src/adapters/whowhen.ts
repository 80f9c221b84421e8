// Who&When failure logs (Zhang et al., ICML 2025): { question, history,
// mistake_agent, mistake_step, ... }. The agent is in `name` (Algorithm-
// Generated, AG2) or in `role` with a suffix such as "Orchestrator (thought)"
// (Hand-Crafted, Magentic-One). mistake_step is a 0-based index into history,
// stored as a string; that message gets the `error` label.
import { InputError } from '../errors.js';
import { describe } from '../validate.js';
import { episodeRecord, isRecord, optionalString, stringField, textOf, type AdapterDefaults } from './common.js';

/** "Orchestrator (thought)" -> "Orchestrator", "Orchestrator (-> WebSurfer)" -> "Orchestrator". */
export function whoWhenAgent(role: string): string {
  return role.replace(/\s*\([^)]*\)\s*$/, '');
}

/**
 * An episode v1 record from a Who&When log: a failure (unless `is_correct`),
 * the task from `question`, the id from `question_ID`, and the `error` label
 * on the message at `mistake_step`.
 */
export function fromWhoWhen(record: unknown, defaults: AdapterDefaults = {}): Record<string, unknown> {
  if (!isRecord(record) || !Array.isArray(record.history)) throw new InputError([{ path: 'history', message: `expected a Who&When log with a "history" array, got ${describe(record)}` }]);
  const history = record.history;
  const step = Number(record.mistake_step);
  if (record.mistake_step !== undefined && !(Number.isInteger(step) && step >= 0 && step < history.length)) {
    throw new InputError([{ path: 'mistake_step', message: `expected a 0-based index into history (0..${history.length - 1}), got ${describe(record.mistake_step)}` }]);
  }
  const turns = history.map((message, i) => {
    const path = `history[${i}]`;
    if (!isRecord(message)) throw new InputError([{ path, message: 'expected a message object { content, role, name? }' }]);
    const agent = optionalString(message.name) ?? whoWhenAgent(stringField(message, 'role', path));
    return { agent, content: textOf(message.content), ...(i === step ? { label: 'error' } : {}) };
  });
  const success = record.is_correct === true;
  const id = optionalString(record.question_ID) ?? defaults.id;
  const task = defaults.task ?? optionalString(record.question);
  return episodeRecord(turns, { outcome: { score: success ? 1 : 0, success } }, { ...defaults, id, task });
}
