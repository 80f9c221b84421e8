// Plain text transcripts: a log whose turns start with a speaker line,
// `Name: text` or `Name (role): text` by default (MAST's text trajectories,
// chat logs pasted from a terminal). Lines up to the next speaker line belong
// to the turn. Speakers named user, human or system, or whose role is one of
// those, are context. When the agents are named (the `agents` option, or
// agents, context or coalitions beside the log), only their lines and context
// speakers' open a turn: in a log, "Traceback (most recent call last):",
// "Note:" and "Step 1:" are text, and without a roster they would become
// players (or, beside named agents, context kept in every counterfactual).
import { InputError } from '../../core/errors.js';
import { describe } from '../../core/validate.js';
import { ADAPTER_OPTIONS, adapterOptions, agentIdOf, checkListedAgents, CONTEXT_ROLES, episodeRecord, isRecord, optionalString, type AdapterDefaults, type Turn } from './common.js';

/** Options of fromText. */
export interface TextOptions extends AdapterDefaults {
  /**
   * A speaker line: group `name` (or the first group) is the speaker, group
   * `role` (or the second) an optional role, the rest of the line after the
   * match starts the turn. Default: `Name:` or `Name (role):` at the start of
   * a line, the name a letter then up to 63 letters, digits, spaces, `_`, `-`
   * or `.`, of any script (Jürgen, 李雷), and a space or the line's end after
   * the colon (or a full-width colon, `：`, with nothing required after it).
   */
  speaker?: RegExp;
}

/** The option names fromText takes. */
export const TEXT_OPTIONS = [...ADAPTER_OPTIONS, 'speaker'];

/** Headers of the task at the top of a log, which are not speakers (letter case ignored). */
const TASK_HEADERS = new Set([
  'task', 'question', 'goal', 'problem', 'query', 'objective', 'instruction', 'instructions', 'prompt',
  // The same in the logs the full-width colon comes from (Chinese, Japanese).
  '任务', '任務', '问题', '問題', '目标', '目標', '课题', '課題', 'タスク', '質問',
]);

// Letters (\p{L}) with their combining marks (\p{M}: a decomposed "ü", Devanagari
// vowel signs) and digits (\p{N}) of any script. A name starts with a letter
// and the colon is followed by a space or the line's end, so times (10:30),
// URLs (https://...) and list items are not speakers; a full-width colon
// (Chinese and Japanese logs: 李雷：…) needs no space after it, since no URL or
// time is written with one, and a role may be in full-width parentheses.
const DEFAULT_SPEAKER = /^(?<name>\p{L}[\p{L}\p{M}\p{N}_ .-]{0,63}?)(?:\s*[(（](?<role>[^()（）\n]{1,40})[)）])?(?::(?:\s|$)|：)/u;

/** The record fields a text transcript may be in (MAST keeps it in `trajectory`, sometimes under `trace`). */
const TEXT_FIELDS = ['trajectory', 'transcript', 'text', 'log'] as const;

/** The log text of a record: a string, or one of its text fields. */
export function logText(record: unknown): { text: string; path: string } | undefined {
  if (typeof record === 'string') return { text: record, path: '' };
  if (!isRecord(record)) return undefined;
  for (const field of TEXT_FIELDS) if (typeof record[field] === 'string') return { text: record[field] as string, path: field };
  if (isRecord(record.trace) && typeof record.trace.trajectory === 'string') return { text: record.trace.trajectory, path: 'trace.trajectory' };
  return undefined;
}

/**
 * The speakers a log may have, when the record or the options name them:
 * its agents (`agents`, or the members of its coalitions) and its `context`.
 * Undefined when nothing names them: every speaker line opens a turn then.
 */
function speakerRoster(beside: Record<string, unknown>, options: TextOptions): Set<string> | undefined {
  const named = new Set<string>();
  const add = (list: unknown) => {
    if (!Array.isArray(list)) return;
    for (const entry of list) {
      const id = agentIdOf(entry);
      if (typeof id === 'string') named.add(id);
    }
  };
  add(beside.agents ?? options.agents);
  add(beside.context);
  if (Array.isArray(beside.coalitions)) for (const coalition of beside.coalitions) if (isRecord(coalition)) add(coalition.agents);
  return named.size > 0 ? named : undefined;
}

/**
 * An episode v1 record from a plain text log (a string, or a record holding
 * it in `trajectory`, `trace.trajectory`, `transcript`, `text` or `log`, with
 * the episode fields beside it). Text before the first speaker line becomes
 * the task when none is given; so does a `Task:`, `Question:` or `Goal:`
 * line there (and the like: TASK_HEADERS), without its header.
 */
export function fromText(log: unknown, given: TextOptions | null = {}): Record<string, unknown> {
  const options = adapterOptions(given, TEXT_OPTIONS);
  const found = logText(log);
  if (!found) throw new InputError([{ path: 'trajectory', message: `expected a text transcript: a string, or a record with ${TEXT_FIELDS.join(', ')} or trace.trajectory as a string; got ${describe(log)}` }]);
  // A copy, reset before each line: a caller's /g or /y pattern would carry lastIndex from line to line (and be left changed).
  const pattern = options.speaker ? new RegExp(options.speaker) : DEFAULT_SPEAKER;
  const beside = isRecord(log) ? log : {};
  const roster = speakerRoster(beside, options);
  const turns: Turn[] = [];
  const preamble: string[] = [];
  // Names on speaker lines the roster kept from opening a turn: an agent listed under a misspelling is among them.
  const unlisted = new Set<string>();
  for (const line of found.text.split(/\r?\n/)) {
    pattern.lastIndex = 0;
    const match = pattern.exec(line);
    const name = match ? optionalString(match.groups?.name ?? match[1])?.trim() : undefined;
    const role = match ? optionalString(match.groups?.role ?? match[2])?.trim() : undefined;
    const isContext = name !== undefined && (CONTEXT_ROLES.has(name.toLowerCase()) || (role !== undefined && CONTEXT_ROLES.has(role.toLowerCase())));
    // A "Task:" (or "Question:", "Goal:") line before the first turn heads the log: its text is the task, not a speaker's.
    if (match && name && turns.length === 0 && role === undefined && TASK_HEADERS.has(name.toLowerCase()) && !roster?.has(name)) {
      preamble.push(line.slice(match.index + match[0].length));
      continue;
    }
    if (match && name && roster !== undefined && !roster.has(name) && !isContext) unlisted.add(name);
    // With the cast known, a "Note:" or "ValueError:" line inside a turn is that turn's text, not a new speaker.
    if (match && name && (roster === undefined || roster.has(name) || isContext)) {
      const turn: Turn = { agent: name, content: line.slice(match.index + match[0].length).trim() };
      if (isContext) turn.context = true;
      turns.push(turn);
    } else if (turns.length > 0) {
      const turn = turns[turns.length - 1];
      turn.content = turn.content === '' ? line : `${turn.content}\n${line}`;
    } else {
      preamble.push(line);
    }
  }
  for (const turn of turns) turn.content = turn.content.trimEnd();
  // Before "no speaker lines": with every listed name misspelled, the log's speaker lines are all held back.
  if (turns.length === 0) checkListedAgents(turns, beside, options, [...unlisted]);
  if (turns.length === 0) throw new InputError([{ path: found.path || 'text', message: `no speaker lines: expected turns starting with "Name:" or "Name (role):"${options.speaker ? ` (matching ${pattern})` : ''}` }]);
  const intro = preamble.join('\n').trim();
  const annotations = beside.annotations ?? beside.mast_annotation;
  return episodeRecord(turns, annotations === undefined ? beside : { ...beside, annotations }, { ...options, task: options.task ?? (intro === '' ? undefined : intro) }, typeof log === 'string' ? 'text' : undefined, [...unlisted]);
}
