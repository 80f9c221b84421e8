// Rows for Hugging Face TRL, field names exactly as its trainers read them:
//   DPO  { prompt, chosen, rejected }      conversational: lists of { role, content, name }
//   KTO  { prompt, completion, label }     unpaired preference, conversational
//   PRM  { prompt, completions, labels }   stepwise supervision (TRL takes it as text only)
// and per-message rewards { prompt, completion, reward } for filtered SFT, KTO
// by sign and reward lookups. Every row is one agent's view (agent-view.ts) and
// says whose it is: `agent`, `episode`, `message` (and `source`, when given);
// TRL ignores columns it does not read.
import type { Signals } from './attribute.js';
import { checkSystemTurn, viewBefore, foldedPrompt, isPlayer, ownTurn, shownTask, systemText, type SystemTurn, type Turn } from './agent-view.js';
import { asEpisode, type Episode, type EpisodeMessage } from './episode.js';
import { prmMinChars, prmText, type PrmParts } from './prm-text.js';
import { rowsOnDemand } from './rows-on-demand.js';
import { InputError, type InputIssue } from '../core/errors.js';
import { checkKnownOptions, describe, isRecord } from '../core/validate.js';

/** Whose row it is: the agent, its episode, the message the row is about, and (when known) the input file. */
export interface RowIdentity {
  agent: string;
  episode: string;
  message: string;
  source?: string;
}

/** A row of a TRL DPO dataset (conversational preference); chosen and rejected are both `agent`'s. */
export interface DpoRow extends RowIdentity {
  prompt: Turn[];
  chosen: Turn[];
  rejected: Turn[];
}

/** A row of a TRL KTO dataset (conversational unpaired preference). */
export interface KtoRow extends RowIdentity {
  prompt: Turn[];
  completion: Turn[];
  label: boolean;
}

/** A row of a TRL PRM dataset (stepwise supervision): `agent`'s steps; `message` is the first step's. */
export interface PrmRow extends RowIdentity {
  prompt: string;
  completions: string[];
  labels: boolean[];
}

/** The reward of one message, with the agent's view before it and the message as a completion. */
export interface RewardRow extends RowIdentity {
  prompt: Turn[];
  completion: Turn[];
  reward: number;
}

/** Options of toDpo, toKto and toRewards. */
export interface ExportOptions {
  /** 'system' (default): the agent is named in a system turn; 'fold': at the start of the first user turn. */
  systemTurn?: SystemTurn;
  /** The input file, written as each row's `source` column. */
  source?: string;
}

/** Options of toPrm. */
export interface PrmOptions {
  /** End each row at its first false step (PRM800K-style): what follows an error is not scored. */
  untilFirstError?: boolean;
  /** Rows of at most this many steps; each later row's prompt carries the steps before it. */
  maxSteps?: number;
  /**
   * Rows of at most this many characters (prompt, steps and a separator after
   * each): a longer row drops its prompt's oldest messages, then cuts long
   * messages in the middle (prm-text.ts), so every step keeps its end. An
   * episode with a row that cannot be that short (its system text, speaker
   * names and a "[…]" for each message) is an InputError naming the smallest
   * maxChars that works for it.
   */
  maxChars?: number;
  source?: string;
}

const EXPORT_OPTIONS = ['systemTurn', 'source'];
const PRM_OPTIONS = ['untilFirstError', 'maxSteps', 'maxChars', 'source'];

interface Checked {
  systemTurn: SystemTurn;
  source: string | undefined;
}

function checkSource(source: unknown): string | undefined {
  if (source === undefined || typeof source === 'string') return source;
  throw new InputError([{ path: 'options.source', message: `expected the input file's name as a string, got ${describe(source)}` }]);
}

// null options mean the defaults, as they do for shapley().
function checkExportOptions(options: ExportOptions | null): Checked {
  checkKnownOptions(options, EXPORT_OPTIONS);
  return { systemTurn: checkSystemTurn(options?.systemTurn), source: checkSource(options?.source) };
}

function identity(agent: string, episode: string, message: string, source: string | undefined): RowIdentity {
  return source === undefined ? { agent, episode, message } : { agent, episode, message, source };
}

const SIGNALS_EXPECTED = 'expected the signals attributeEpisode returns (or one item of what attributeEpisodes returns)';

/**
 * `signals` as the exporters read it. Plain JavaScript callers can pass
 * anything, and the likely mix-ups (the episode itself, the whole array of
 * attributeEpisodes, an error) would otherwise surface as TypeErrors from
 * inside the loops.
 */
function checkSignals(signals: unknown): Signals {
  if (Array.isArray(signals)) throw new InputError([{ path: 'signals', message: `${SIGNALS_EXPECTED}, got an array of ${signals.length}; export one episode's signals at a time` }]);
  if (signals instanceof Error) throw new InputError([{ path: 'signals', message: `${SIGNALS_EXPECTED}, got ${signals.name} (${signals.message})` }]);
  if (!isRecord(signals)) throw new InputError([{ path: 'signals', message: `${SIGNALS_EXPECTED}, got ${describe(signals)}` }]);
  // An episode has an outcome where signals have success and preferences.
  if ('outcome' in signals && !('preferences' in signals)) {
    throw new InputError([{ path: 'signals', message: `${SIGNALS_EXPECTED}, got an episode; pass attributeEpisode(episode)'s result instead` }]);
  }
  const issues: InputIssue[] = [];
  if (typeof signals.id !== 'string') issues.push({ path: 'signals.id', message: `expected the episode id as a string, got ${describe(signals.id)}` });
  if (typeof signals.success !== 'boolean') issues.push({ path: 'signals.success', message: `expected true or false, got ${describe(signals.success)}` });
  if (!Array.isArray(signals.preferences)) issues.push({ path: 'signals.preferences', message: `expected an array of preferences, got ${describe(signals.preferences)}` });
  if (!Array.isArray(signals.messages)) issues.push({ path: 'signals.messages', message: `expected an array of message rewards, got ${describe(signals.messages)}` });
  const { firstError } = signals;
  if (firstError !== null && firstError !== undefined && !(isRecord(firstError) && Number.isInteger(firstError.index))) {
    issues.push({ path: 'signals.firstError', message: `expected null or the first error with its message index, got ${describe(firstError)}` });
  }
  if (issues.length > 0) throw new InputError(issues, SIGNALS_EXPECTED);
  return signals as unknown as Signals;
}

function checkPair(signals: Signals, episode: Episode | unknown): Episode {
  const checked = asEpisode(episode);
  if (checked.id !== signals.id) throw new InputError(`episode: signals are for ${JSON.stringify(signals.id)}, episode is ${JSON.stringify(checked.id)}`);
  return checked;
}

const prompted = (prompt: Turn[], systemTurn: SystemTurn) => (systemTurn === 'fold' ? foldedPrompt(prompt) : prompt);

/** DPO pairs: each repair against the message it repairs, each agent's own correction against its error. */
export function toDpo(signals: Signals, options: ExportOptions = {}): DpoRow[] {
  return [...dpoRows(signals, options)];
}

/**
 * toDpo's rows one at a time: an iterable that makes each row when it is
 * reached, for a writer that lets each go once written (the CLI does). The
 * arguments are checked here, before the first row: a caller that has
 * written some rows never meets an error in the middle. Each iteration
 * starts again from the first row.
 */
export function dpoRows(signals: Signals, options: ExportOptions = {}): Iterable<DpoRow> {
  checkSignals(signals);
  const { systemTurn, source } = checkExportOptions(options);
  const { preferences } = signals;
  return rowsOnDemand(preferences.length, () => (k) => {
    const preference = preferences[k];
    if (preference.type !== 'pair') return undefined;
    return {
      prompt: prompted(preference.prompt, systemTurn), chosen: preference.chosen, rejected: preference.rejected,
      ...identity(preference.agent, signals.id, preference.message, source),
    };
  });
}

/**
 * KTO rows: the unpaired preferences, plus both sides of every pair (chosen
 * true, rejected false), each distinct row once.
 */
export function toKto(signals: Signals, options: ExportOptions = {}): KtoRow[] {
  return [...ktoRows(signals, options)];
}

/** toKto's rows one at a time, the arguments checked before the first (see dpoRows). */
export function ktoRows(signals: Signals, options: ExportOptions = {}): Iterable<KtoRow> {
  checkSignals(signals);
  const { systemTurn, source } = checkExportOptions(options);
  const { preferences } = signals;
  const count = preferences.length;
  // Steps 0..count: each preference's unpaired row; then two steps per preference, a pair's chosen and rejected rows.
  return rowsOnDemand(3 * count, () => {
    // The rows this iteration has given: each distinct row once.
    const seen = new Set<string>();
    const row = (agent: string, message: string, prompt: Turn[], completion: Turn[], label: boolean): KtoRow | undefined => {
      const key = `${label}\u0000${agent}\u0000${message}\u0000${completion[0].content}`;
      if (seen.has(key)) return undefined;
      seen.add(key);
      return { prompt: prompted(prompt, systemTurn), completion, label, ...identity(agent, signals.id, message, source) };
    };
    return (k) => {
      if (k < count) {
        const preference = preferences[k];
        return preference.type === 'unpaired' ? row(preference.agent, preference.message, preference.prompt, preference.completion, preference.label) : undefined;
      }
      const preference = preferences[(k - count) >> 1];
      if (preference.type !== 'pair') return undefined;
      const chosen = (k - count) % 2 === 0;
      return row(preference.agent, preference.message, preference.prompt, chosen ? preference.chosen : preference.rejected, chosen);
    };
  });
}

function checkPrmOptions(options: PrmOptions | null): { untilFirstError: boolean; maxSteps: number; maxChars: number; source: string | undefined } {
  checkKnownOptions(options, PRM_OPTIONS);
  const { untilFirstError = false, maxSteps = Infinity, maxChars = Infinity } = options ?? {};
  if (typeof untilFirstError !== 'boolean') {
    throw new InputError([{ path: 'options.untilFirstError', message: `expected true or false, got ${describe(untilFirstError)}` }]);
  }
  if (maxSteps !== Infinity && !(Number.isInteger(maxSteps) && maxSteps >= 1)) {
    throw new InputError([{ path: 'options.maxSteps', message: `expected a whole number of steps, at least 1, got ${describe(maxSteps)}` }]);
  }
  if (maxChars !== Infinity && !(Number.isInteger(maxChars) && maxChars >= 1)) {
    throw new InputError([{ path: 'options.maxChars', message: `expected a whole number of characters, at least 1, got ${describe(maxChars)}` }]);
  }
  return { untilFirstError, maxSteps, maxChars, source: checkSource(options?.source) };
}

/**
 * PRM rows, one agent's steps each: its messages, each labelled true while
 * the run could still succeed (before the episode's first error) and false
 * from the first error on. PRMTrainer reads prompt and steps as plain text,
 * so the view is text: the prompt is the system text, the task and every
 * message before the row's first step, one per line ("[speaker] content");
 * each step is the messages of others since the agent's previous step, then
 * the agent's own, so its label falls on the agent's last token. A failed
 * episode whose first error is unknown gives no rows (its steps cannot be
 * labelled honestly). With `maxSteps`, an agent's steps are cut into rows of
 * at most that many, each with the prompt of its first step; with `maxChars`,
 * rows are kept within that many characters (prm-text.ts), or an InputError
 * names the smallest maxChars that works for the episode.
 */
export function toPrm(signals: Signals, episode: Episode | unknown, options: PrmOptions = {}): PrmRow[] {
  return [...prmRows(signals, episode, options)];
}

/**
 * toPrm's rows one at a time, the arguments checked before the first (see
 * dpoRows): with `maxChars`, every row's shortest form is measured first,
 * so an episode with a row that cannot be that short throws here, before
 * any of its rows is made.
 */
export function prmRows(signals: Signals, episode: Episode | unknown, options: PrmOptions = {}): Iterable<PrmRow> {
  checkSignals(signals);
  const checked = checkPair(signals, episode);
  const { untilFirstError, maxSteps, maxChars, source } = checkPrmOptions(options);
  if (!signals.success && !signals.firstError) return [];
  const { messages } = checked;
  const errorAt = signals.firstError ? signals.firstError.index : messages.length;
  const windows = prmWindows(checked, errorAt, untilFirstError, maxSteps);
  checkRowsFit(checked, windows, maxChars);
  return rowsOnDemand(windows.length, () => (k) => {
    const { agent, window } = windows[k];
    return {
      ...prmText(prmParts(checked, windows[k]), maxChars)!,
      labels: window.map((m) => m < errorAt),
      ...identity(agent, checked.id, messages[window[0]].id, source),
    };
  });
}

/**
 * Throws the InputError toPrm throws when `maxChars` is below the shortest
 * some PRM row of the episode can be, from the episode alone: before its
 * signals are computed, by a judge paid per call. A success's rows are known
 * from its messages, and so are a failure's, but with `untilFirstError`,
 * where they end at the first error the signals will locate: then each
 * agent's first step alone, the shortest row it can have, is checked. A
 * failure whose first error is never located gets no rows from toPrm; this
 * check assumes it will be located.
 */
export function checkPrmLength(episode: Episode | unknown, options: PrmOptions = {}): void {
  const checked = asEpisode(episode);
  const { untilFirstError, maxSteps, maxChars } = checkPrmOptions(options);
  if (maxChars === Infinity) return;
  const errorAt = untilFirstError && !checked.outcome.success ? 0 : checked.messages.length;
  checkRowsFit(checked, prmWindows(checked, errorAt, untilFirstError, maxSteps), maxChars);
}

/**
 * Throws when some of the rows cannot be made within `maxChars`: one error
 * for the episode, naming the longest of them and so the smallest maxChars
 * that works. (prmText gives null exactly when prmMinChars is over
 * maxChars: cutting messages never lengthens a row.)
 */
function checkRowsFit(checked: Episode, windows: PrmWindow[], maxChars: number): void {
  if (maxChars === Infinity) return;
  let tooShort: TooShortRow | undefined;
  for (const prmWindow of windows) {
    const chars = prmMinChars(prmParts(checked, prmWindow));
    if (chars > maxChars) tooShort = longerNeed(tooShort, { chars, agent: prmWindow.agent, message: checked.messages[prmWindow.window[0]].id });
  }
  if (tooShort) throw tooShortError(checked, tooShort, maxChars);
}

/** One PRM row before its text: the agent and the message indices of its steps. */
interface PrmWindow {
  agent: string;
  window: number[];
}

/**
 * The episode's PRM rows before their text, agent by agent, for a first
 * error at `errorAt` (the message count when there is none): indices only,
 * O(messages) in all; each row's parts are made when it is (prmParts).
 */
function prmWindows(checked: Episode, errorAt: number, untilFirstError: boolean, maxSteps: number): PrmWindow[] {
  const { messages } = checked;
  const windows: PrmWindow[] = [];
  for (const agent of checked.agents) {
    let steps: number[] = [];
    messages.forEach((message, m) => {
      if (message.agent === agent) steps.push(m);
    });
    if (untilFirstError) {
      const firstFalse = steps.findIndex((m) => m >= errorAt);
      if (firstFalse >= 0) steps = steps.slice(0, firstFalse + 1);
    }
    for (let start = 0; start < steps.length; start += maxSteps) windows.push({ agent, window: steps.slice(start, start + maxSteps) });
  }
  return windows;
}

/** What a PRM row's text is made of: its header, the messages before its first step, and its steps. */
function prmParts(checked: Episode, { agent, window }: PrmWindow): PrmParts {
  const { messages } = checked;
  const said = (message: EpisodeMessage) => ({ speaker: message.agent, content: message.content });
  const task = shownTask(checked);
  return {
    header: task !== undefined ? [systemText(checked, agent, 'text'), task] : [systemText(checked, agent, 'text')],
    context: messages.slice(0, window[0]).map(said),
    // A row's first step is the agent's message alone: what came before it is in the prompt.
    steps: window.map((m, k) => messages.slice(k === 0 ? m : window[k - 1] + 1, m + 1).map(said)),
  };
}

/** A row that cannot be made within maxChars: the fewest characters it takes, its agent and its first message. */
interface TooShortRow {
  chars: number;
  agent: string;
  message: string;
}

/** Of two rows too long for maxChars, the one that needs more: the error names the smallest maxChars that works for them all. */
const longerNeed = (known: TooShortRow | undefined, row: TooShortRow): TooShortRow => (!known || row.chars > known.chars ? row : known);

/** A row longer than maxChars would lose its last labels to the trainer's cut, which maxChars is there to prevent: refuse, do not exceed. */
function tooShortError(checked: Episode, tooShort: TooShortRow, maxChars: number): InputError {
  const row = `the row of ${JSON.stringify(tooShort.agent)} from message ${JSON.stringify(tooShort.message)}`;
  const message = `expected at least ${tooShort.chars} characters for the PRM rows of episode ${JSON.stringify(checked.id)}, got ${maxChars}: ${row} cannot be shorter (its system text and speaker names are never cut, and each message keeps at least "[…]")`;
  return new InputError([{ path: 'options.maxChars', message }]);
}

/** One row per agent's message: the agent's view before it as `prompt`, the message as `completion`, its `reward`. */
export function toRewards(signals: Signals, episode: Episode | unknown, options: ExportOptions = {}): RewardRow[] {
  return [...rewardRows(signals, episode, options)];
}

/**
 * toRewards' rows one at a time, the arguments checked before the first (see
 * dpoRows). Each row repeats the conversation before its message, so an
 * episode's rows together grow with the square of its length: a writer that
 * lets each go once written holds one.
 */
export function rewardRows(signals: Signals, episode: Episode | unknown, options: ExportOptions = {}): Iterable<RewardRow> {
  checkSignals(signals);
  const checked = checkPair(signals, episode);
  const { systemTurn, source } = checkExportOptions(options);
  const indexOf = new Map(checked.messages.map((message, m) => [message.id, m]));
  for (const { id } of signals.messages) {
    if (!indexOf.has(id)) throw new InputError(`episode: signals name message ${JSON.stringify(id)}, which episode ${JSON.stringify(checked.id)} does not have`);
  }
  const { messages } = signals;
  return rowsOnDemand(messages.length, () => (k) => {
    const { id, agent, reward } = messages[k];
    if (!isPlayer(checked, agent)) return undefined;
    const m = indexOf.get(id)!;
    return {
      prompt: viewBefore(checked, m, agent, systemTurn),
      completion: ownTurn(agent, checked.messages[m].content),
      reward,
      ...identity(agent, checked.id, id, source),
    };
  });
}

const LINE_SEPARATORS = /[\u2028\u2029]/g;

/** A number as JSON with a fraction or exponent (`-1.0`, `0.0`, `0.25`, `1e+21`), so readers type it as a float. */
export function floatJson(value: number): string {
  if (!Number.isFinite(value)) throw new InputError(`expected a finite number to write as JSON, got ${value}`);
  const text = JSON.stringify(value);
  return /[.e]/.test(text) ? text : `${text}.0`;
}

/** Top-level fields always written with a fraction: a reward is a real number even when it is -1 or 0. */
const FLOAT_FIELDS = new Set(['reward']);

/**
 * One row as a JSONL line (with its "\n"), or an array of rows as one line
 * per row (`toJsonl(toDpo(signals))`; no rows, no text): JSON, with a
 * top-level `reward` written with a fraction (floatJson), and U+2028 and
 * U+2029 escaped as `\u2028` / `\u2029`. Both are valid raw in JSON strings,
 * but line-splitting readers (Python's `str.splitlines()`, some JSONL
 * loaders) cut rows at them; escaped, the line parses to the same value.
 */
export function toJsonl(rows: unknown): string {
  // An array is a list of rows: written as one JSON array on one line, a
  // dataset of rows would load as a single row.
  if (Array.isArray(rows)) return Array.from(rows, (row: unknown, index) => jsonlLine(row, `rows[${index}]`)).join('');
  return jsonlLine(rows, 'row');
}

function jsonlLine(row: unknown, path: string): string {
  let text: string | undefined;
  if (row !== null && typeof row === 'object' && !Array.isArray(row) && Object.keys(row).some((key) => FLOAT_FIELDS.has(key))) {
    const fields = Object.entries(row as Record<string, unknown>)
      .filter(([, value]) => value !== undefined && typeof value !== 'function' && typeof value !== 'symbol')
      .map(([key, value]) => `${JSON.stringify(key)}:${FLOAT_FIELDS.has(key) && typeof value === 'number' ? floatJson(value) : JSON.stringify(value)}`);
    text = `{${fields.join(',')}}`;
  } else {
    text = JSON.stringify(row);
  }
  if (text === undefined) throw new InputError(`toJsonl: ${path}: expected a row (an object, such as toDpo's rows), got ${describe(row)}`);
  // Looked for before replacing: on a row with any character past U+00FF (a two-byte string) the regular
  // expression scans 20x slower than includes(), and most rows hold neither separator.
  if (!text.includes('\u2028') && !text.includes('\u2029')) return text + '\n';
  return text.replace(LINE_SEPARATORS, (separator) => (separator === '\u2028' ? '\\u2028' : '\\u2029')) + '\n';
}
