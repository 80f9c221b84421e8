// What the components' properties accept, one checker per shape, each
// checking every field a component reads: a wrong value is an InputError at
// the assignment naming the element, the field and the value, never an error
// later in the render microtask or a chart drawn from a credit read as text.
// summarize() checks its list with the same checker as <ac-dataset-overview>.
import { InputError, type InputIssue } from '../core/errors.js';
import { describe, isRecord } from '../core/validate.js';

/** The issues of `value` at `path`: one per field at fault, none when it can be drawn. */
export type Check = (value: unknown, path: string) => InputIssue[];

const wrong = (path: string, expected: string, value: unknown): InputIssue => ({ path, message: `expected ${expected}, got ${describe(value)}` });

/** Absent: an optional field a component reads with `??` or `?.`. */
const absent = (value: unknown) => value === undefined || value === null;

/**
 * `value` for property `property` of `<tag>`, or an InputError naming the
 * field at fault. undefined (what frameworks set when a prop goes away)
 * gives `unset`; null passes where `unset` is null.
 */
export function checked<T>(tag: string, property: string, value: unknown, check: Check, unset: T): T {
  if (value === undefined || (value === null && unset === null)) return unset;
  const issues = check(value, `<${tag}>.${property}`);
  if (issues.length > 0) throw new InputError(issues);
  return value as T;
}

/** The issues of the first entry of `list` at fault: a transcript of thousands of messages would list thousands. */
function firstAtFault(list: readonly unknown[], path: string, check: Check): InputIssue[] {
  for (let i = 0; i < list.length; i++) {
    const issues = check(list[i], `${path}[${i}]`);
    if (issues.length > 0) return issues;
  }
  return [];
}

function stringIssues(value: unknown, path: string, what: string): InputIssue[] {
  return typeof value === 'string' ? [] : [wrong(path, `${what} as a string`, value)];
}

/** A Float64Array or an array of `length` finite numbers (any length when null), each at least `least`. */
function numbersIssues(value: unknown, path: string, length: number | null, what: string, least = -Infinity): InputIssue[] {
  const list = Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView)) ? (value as ArrayLike<unknown>) : null;
  if (!list) return [wrong(path, `a Float64Array (or an array) of finite numbers, ${what}`, value)];
  if (length !== null && list.length !== length) return [{ path, message: `expected ${length} numbers (${what}), got ${list.length}` }];
  for (let i = 0; i < list.length; i++) {
    const entry = list[i];
    if (!(Number.isFinite(entry) && (entry as number) >= least)) return [wrong(`${path}[${i}]`, least === 0 ? 'a finite number from 0' : 'a finite number', entry)];
  }
  return [];
}

function playersIssues(value: unknown, path: string): InputIssue[] {
  if (!Array.isArray(value)) return [wrong(path, "the players' names as an array of strings", value)];
  return firstAtFault(value, path, (name, at) => stringIssues(name, at, "the player's name"));
}

/** v(∅), v(team): a finite number (null where the property takes it). */
export const finiteIssues: Check = (value, path) => (Number.isFinite(value) ? [] : [wrong(path, 'a finite number or null', value)]);

function agentIssues(entry: unknown, path: string): InputIssue[] {
  if (!isRecord(entry)) return [wrong(path, '{ agent, credit, stderr }', entry)];
  return [
    ...stringIssues(entry.agent, `${path}.agent`, "the agent's name"),
    ...(entry.credit === null || Number.isFinite(entry.credit) ? [] : [wrong(`${path}.credit`, 'a finite number or null', entry.credit)]),
    ...(absent(entry.stderr) || (Number.isFinite(entry.stderr) && (entry.stderr as number) >= 0) ? [] : [wrong(`${path}.stderr`, 'a standard error (a finite number from 0) or null', entry.stderr)]),
  ];
}

function rewardIssues(entry: unknown, path: string): InputIssue[] {
  if (!isRecord(entry)) return [wrong(path, 'a message { id, agent, reward }', entry)];
  return [
    ...stringIssues(entry.id, `${path}.id`, 'the message id'),
    ...stringIssues(entry.agent, `${path}.agent`, 'the speaker'),
    ...(Number.isFinite(entry.reward) ? [] : [wrong(`${path}.reward`, "the message's reward as a finite number", entry.reward)]),
  ];
}

function firstErrorIssues(value: unknown, path: string): InputIssue[] {
  if (absent(value)) return [];
  if (!isRecord(value)) return [wrong(path, 'null or the first error { id, index, agent, strategy }', value)];
  return [
    ...stringIssues(value.id, `${path}.id`, 'the message id'),
    ...(Number.isInteger(value.index) && (value.index as number) >= 0 ? [] : [wrong(`${path}.index`, 'the message index, an integer from 0', value.index)]),
    ...stringIssues(value.agent, `${path}.agent`, "the agent's name"),
    ...stringIssues(value.strategy, `${path}.strategy`, 'the strategy that found it'),
  ];
}

/** Rows and columns in the order of the `n` agents. */
function interactionsIssues(value: unknown, path: string, n: number): InputIssue[] {
  if (absent(value)) return [];
  if (!Array.isArray(value) || value.length !== n) return [wrong(path, `null or one row of ${n} numbers per agent`, value)];
  return firstAtFault(value, path, (row, at) => numbersIssues(row, at, n, 'one per agent'));
}

/** One episode's Signals (what attributeEpisode returns), for every field the components and summarize read. */
export const signalsIssues: Check = (value, path) => {
  if (!isRecord(value)) return [wrong(path, 'the Signals of an episode { success, agents, interactions, messages, firstError } (what attributeEpisode returns)', value)];
  const { agents, messages } = value;
  return [
    ...(typeof value.success === 'boolean' ? [] : [wrong(`${path}.success`, 'true or false', value.success)]),
    ...(Array.isArray(agents) ? agents.flatMap((entry, i) => agentIssues(entry, `${path}.agents[${i}]`)) : [wrong(`${path}.agents`, 'an array of { agent, credit, stderr }', agents)]),
    ...(Array.isArray(agents) ? interactionsIssues(value.interactions, `${path}.interactions`, agents.length) : []),
    ...(absent(messages) ? [] : Array.isArray(messages) ? firstAtFault(messages, `${path}.messages`, rewardIssues) : [wrong(`${path}.messages`, 'an array of { id, agent, reward }', messages)]),
    ...firstErrorIssues(value.firstError, `${path}.firstError`),
  ];
};

/** A dataset's Signals (what attributeEpisodes returns): the first episode at fault. */
export const signalsListIssues: Check = (value, path) =>
  Array.isArray(value) ? firstAtFault(value, path, signalsIssues) : [wrong(path, 'an array of Signals (what attributeEpisodes returns)', value)];

/** A ShapleyResult (what shapley() returns). */
export const shapleyResultIssues: Check = (value, path) => {
  if (!isRecord(value)) return [wrong(path, 'a ShapleyResult { players, values, stderr, method, evaluations } (what shapley() returns)', value)];
  const players = playersIssues(value.players, `${path}.players`);
  const n = players.length === 0 ? (value.players as unknown[]).length : null;
  return [
    ...players,
    ...numbersIssues(value.values, `${path}.values`, n, 'one per player'),
    ...(value.stderr === null ? [] : numbersIssues(value.stderr, `${path}.stderr`, n, 'standard errors, one per player, or null', 0)),
    ...stringIssues(value.method, `${path}.method`, 'the method'),
    ...(Number.isInteger(value.evaluations) && (value.evaluations as number) >= 0 ? [] : [wrong(`${path}.evaluations`, 'the number of evaluations, an integer from 0', value.evaluations)]),
  ];
};

/** An InteractionResult (what interactions() returns). */
export const interactionResultIssues: Check = (value, path) => {
  if (!isRecord(value)) return [wrong(path, 'an InteractionResult { players, matrix } (what interactions() returns)', value)];
  const players = playersIssues(value.players, `${path}.players`);
  const n = players.length === 0 ? (value.players as unknown[]).length : null;
  return [...players, ...numbersIssues(value.matrix, `${path}.matrix`, n === null ? null : n * n, 'n x n, row by row')];
};

function messageIssues(entry: unknown, path: string): InputIssue[] {
  if (!isRecord(entry)) return [wrong(path, 'a message { id, agent, content }', entry)];
  return [
    ...(absent(entry.id) ? [] : stringIssues(entry.id, `${path}.id`, 'the message id')),
    ...stringIssues(entry.agent, `${path}.agent`, 'the speaker'),
    ...stringIssues(entry.content, `${path}.content`, 'the content'),
    ...(absent(entry.label) ? [] : stringIssues(entry.label, `${path}.label`, 'the label')),
  ];
}

function repairIssues(entry: unknown, path: string): InputIssue[] {
  if (!isRecord(entry)) return [wrong(path, 'a repair { message, content }', entry)];
  return [...stringIssues(entry.message, `${path}.message`, 'the id of the message repaired'), ...stringIssues(entry.content, `${path}.content`, 'the content')];
}

function coalitionIssues(entry: unknown, path: string): InputIssue[] {
  if (!isRecord(entry)) return [wrong(path, 'a coalition { agents, value }', entry)];
  return [
    ...(Array.isArray(entry.agents) ? [] : [wrong(`${path}.agents`, "the coalition's agents as an array", entry.agents)]),
    ...(Number.isFinite(entry.value) ? [] : [wrong(`${path}.value`, "the coalition's value as a finite number", entry.value)]),
  ];
}

/** Optional list fields: absent, or a list whose first entry at fault is named. */
function listIssues(value: unknown, path: string, expected: string, check: Check): InputIssue[] {
  if (absent(value)) return [];
  return Array.isArray(value) ? firstAtFault(value, path, check) : [wrong(path, expected, value)];
}

/** An Episode, or the record it was parsed from: what the transcript, the timeline and the waterfall read of it. */
export const episodeIssues: Check = (value, path) => {
  if (!isRecord(value)) return [wrong(path, 'an episode { messages, task, repairs, table, coalitions, outcome } (an Episode or its record)', value)];
  const { messages, table, outcome } = value;
  const size = Array.isArray(table) || ArrayBuffer.isView(table) ? (table as ArrayLike<unknown>).length : 0;
  return [
    ...(Array.isArray(messages) ? firstAtFault(messages, `${path}.messages`, messageIssues) : [wrong(`${path}.messages`, 'the messages as an array of { id, agent, content }', messages)]),
    ...(absent(value.task) ? [] : stringIssues(value.task, `${path}.task`, 'the task')),
    ...listIssues(value.repairs, `${path}.repairs`, 'an array of { message, content }', repairIssues),
    // v(∅) is the table's first entry: a table is 2^n values.
    ...(absent(table) ? [] : size > 0 && (size & (size - 1)) === 0 ? numbersIssues(table, `${path}.table`, size, 'one per coalition') : [wrong(`${path}.table`, 'null or a coalition table of 2^n finite numbers', table)]),
    ...listIssues(value.coalitions, `${path}.coalitions`, 'an array of { agents, value }', coalitionIssues),
    ...(absent(outcome) ? [] : !isRecord(outcome) ? [wrong(`${path}.outcome`, 'the outcome { score, success }', outcome)] : Number.isFinite(outcome.score) ? [] : [wrong(`${path}.outcome.score`, 'the score as a finite number', outcome.score)]),
  ];
};

function judgementIssues(entry: unknown, path: string): InputIssue[] {
  if (!isRecord(entry)) return [wrong(path, 'a judgement { message, label, score, reason }', entry)];
  return [
    ...stringIssues(entry.message, `${path}.message`, 'the message id'),
    ...stringIssues(entry.label, `${path}.label`, 'the label'),
    ...stringIssues(entry.reason, `${path}.reason`, 'the reason'),
  ];
}

/** A judge's verdicts (what judge.labels() returns): the first at fault. */
export const judgementsIssues: Check = (value, path) =>
  Array.isArray(value) ? firstAtFault(value, path, judgementIssues) : [wrong(path, 'an array of judgements { message, label, score, reason } (what judge.labels() returns)', value)];
