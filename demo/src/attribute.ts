// Attribution of a loaded source, run inside the worker: read the records,
// find each one's format (the library's detector; value tables by their
// shape), attribute it through the library with the user's setup, and stream
// the entries to the page in small batches while gathering the downloads.
import { InputError, interactions, shapley } from 'agent-credit';
import { createJudge, JudgeError } from 'agent-credit/judge';
import {
  detectFormat, distinctEpisodeId, episodeFrom, episodesFrom, fileEpisodeId, FORMAT_LABELS, toJsonl, type Episode, type EpisodeJudge, type InputFormat,
} from 'agent-credit/episodes';
import { attributeOne } from './episodes.js';
import { arrayElementLines } from './json-locate.js';
import { problemsOf } from './problems.js';
import {
  EXPORT_KINDS, type AttributionResult, type Draft, type ExportKind, type InputProblem, type JudgeConnection, type ReadSource, type PreferenceRows, type ResultEntry, type RunOptions, type Setup, type TableEntry,
} from './protocol.js';
import { holdsSeveralRecords, InputProblems, readRecords, type JsonRecord } from './records.js';

export type ProgressReporter = (done: number, total: number) => void;
export type EntrySink = (entries: ResultEntry[]) => void;

/** Thrown when the page cancelled the run: what it attributed so far stays (its preference rows). */
export class AttributionStopped extends Error {
  constructor() {
    super('stopped');
  }
}

/** How long the run goes between two looks at its messages (a Cancel waits at most this, plus one record). */
const YIELD_MS = 50;

/**
 * Resolves in a new task, after the messages already queued (a Cancel) are
 * handled: a MessageChannel, not setTimeout(0), which browsers clamp to 4 ms
 * once timers nest (up to 8% of a long run at one look per 50 ms).
 */
function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/** Entries sent to the page per message: small enough that receiving them never takes long. */
const ENTRIES_PER_MESSAGE = 20;

/** One record to attribute: a JSONL line, a whole document, or one element of a document's array. */
interface Unit {
  record: JsonRecord;
  value: unknown;
  /** Path of the value inside its record's text ('' or `[k]`). */
  prefix: string;
  line: number;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isTable = (value: unknown) => isObject(value) && 'players' in value && 'values' in value;

/**
 * A JSON document holding a list of records (episode files), rather than one
 * transcript that is a list itself. An empty list holds no records, as the
 * CLI reads it: there is no transcript in it to detect a format of.
 */
function isRecordList(value: unknown): value is unknown[] {
  return Array.isArray(value) && (value.length === 0 || value.some((item) => isObject(item) && (Array.isArray(item.messages) || Array.isArray(item.history) || 'values' in item)));
}

function unitsOf(records: JsonRecord[], jsonLines: boolean): Unit[] {
  const units: Unit[] = [];
  for (const record of records) {
    if (!jsonLines && isRecordList(record.value)) {
      const lines = arrayElementLines(record.text);
      record.value.forEach((value, k) => units.push({ record, value, prefix: `[${k}]`, line: record.line + (lines[k] ?? 1) - 1 }));
    } else units.push({ record, value: record.value, prefix: '', line: record.line });
  }
  return units;
}

async function attributeTable(game: { players: string[]; values: number[] }, id: string, options: RunOptions): Promise<TableEntry> {
  const budget = options.method === 'exact' ? undefined : options.budget;
  const credit = await shapley(game, { method: options.method, budget, seed: options.seed });
  const pairs = await interactions(game);
  return {
    kind: 'table',
    id,
    result: { players: credit.players, values: Array.from(credit.values), stderr: credit.stderr ? Array.from(credit.stderr) : null, method: credit.method, evaluations: credit.evaluations },
    interactions: { players: pairs.players, matrix: Array.from(pairs.matrix) },
  };
}

function formatOf(value: unknown, options: RunOptions): InputFormat | 'table' {
  if (options.format === 'table' || (options.format === 'auto' && isTable(value))) return 'table';
  return options.format as InputFormat;
}

/**
 * The episodes of one record (most hold one; an OpenTelemetry trace holds one
 * per conversation) with the setup applied. The setup's outcome is the user's
 * explicit choice: the adapters take it only as a default for a record
 * without one, so it is set here over what the record says.
 */
function adapt(format: InputFormat, value: unknown, id: string, file: string, line: number | undefined, setup: Setup): Episode[] {
  const episodes = episodesFrom(format, value, { file, line }, { id, ...(setup.outcome ? { outcome: setup.outcome } : {}), ...(setup.agents ? { agents: setup.agents } : {}) });
  if (!setup.outcome) return episodes;
  for (const episode of episodes) {
    // A coalition table fixes v(team): a different score would contradict the credit computed from it.
    const team = episode.table?.[episode.table.length - 1];
    if (team !== undefined && Math.abs(team - setup.outcome.score) > 1e-9 * Math.max(1, Math.abs(team))) {
      throw new InputError([{ path: 'outcome.score', message: `the coalition table gives the whole team ${team}; a score of ${setup.outcome.score} would contradict it` }]);
    }
    episode.outcome = { ...setup.outcome };
  }
  return episodes;
}

/** A loaded source's file name without its directories (an example's path), as the CLI names a file input in rows. */
const fileName = (source: string) => source.replace(/^.*[\\/]/, '');

/**
 * The id a record that has none gets, by the CLI's rule (fileEpisodeId):
 * its file's name without the extension, element k of a JSON list as
 * name[k], a JSON Lines record as name:line.
 */
function defaultId(source: string, unit: Unit, jsonLines: boolean): string {
  return fileEpisodeId({ file: `${fileName(source)}${unit.prefix}`, ...(jsonLines ? { line: unit.line } : {}) });
}

/** What the library could not compute, said plainly, when no episode gave an exportable signal. */
function missingParts(entries: ResultEntry[], judged: boolean): string[] {
  const missing = new Set<string>();
  for (const entry of entries) {
    if (entry.kind !== 'episode') continue;
    for (const warning of entry.signals.warnings ?? []) missing.add(warning);
    if (!entry.signals.success && !entry.signals.firstError) {
      missing.add(judged
        ? 'The run failed and neither its labels nor the judge located its first error: mark it in the setup step.'
        : 'The run failed and no message is marked as its first error: mark one in the setup step, or connect a judge to find it.');
    }
  }
  return [...missing];
}

/** One judge for the run (its cache spares repeated questions across episodes); a URL it cannot use is the judge's problem. */
function judgeOf(connection: JudgeConnection): EpisodeJudge {
  try {
    return createJudge({ baseURL: connection.baseURL, model: connection.model, ...(connection.apiKey ? { apiKey: connection.apiKey } : {}) });
  } catch (error) {
    throw new InputProblems([{ line: null, field: 'judge', message: error instanceof Error ? error.message : String(error) }]);
  }
}

/** The judge's failure inside `error` (an evaluate error wraps it), unless it is about its episode alone. */
function serverFailure(error: unknown): JudgeError | undefined {
  for (let depth = 0; depth < 4 && error instanceof Error; depth++, error = error.cause) {
    if (error instanceof JudgeError) return error.about === 'episode' ? undefined : error;
  }
  return undefined;
}

/** Attributes every record of `source`. Records at fault are reported with line and field; the others still show. */
export async function attributeSource(
  source: ReadSource,
  options: RunOptions,
  setup: Setup,
  connection: JudgeConnection | null,
  progress: ProgressReporter,
  send: EntrySink,
  /** True once the page cancelled the run (read after yielding, so its message can arrive). */
  stopped: () => boolean = () => false,
): Promise<AttributionResult> {
  const judge = connection ? judgeOf(connection) : null;
  const started = performance.now();
  const { records, jsonLines, problems: unreadable } = readRecords(source.name, source.text);
  const units = unitsOf(records, jsonLines);
  if (units.length === 0) throw new InputProblems([{ line: null, field: '', message: 'no records: the input is an empty JSON list; nothing to attribute' }]);
  const problems: InputProblem[] = [...unreadable];
  const rows: Record<ExportKind, unknown[]> = { signals: [], dpo: [], kto: [], prm: [], rewards: [] };
  const formats = new Set<string>();
  const kept: ResultEntry[] = [];
  // This run owns the rows kept for the page from here on; a run it replaced, still waiting on its judge, no longer writes them.
  const run = ++newestRun;
  const replaced = () => run !== newestRun;
  preferenceRows = [];
  lastRows = null;
  let pending: ResultEntry[] = [];
  let count = 0;
  /** Each attributed episode's id, and where it was read. */
  const seen = new Map<string, string>();
  const keep = (entry: ResultEntry) => {
    count++;
    pending.push(entry);
    if (kept.length < 1000) kept.push(entry);
    if (pending.length >= ENTRIES_PER_MESSAGE) {
      send(pending);
      pending = [];
    }
  };
  let lastYield = performance.now();
  units: for (const [index, unit] of units.entries()) {
    if (performance.now() - lastYield >= YIELD_MS) {
      await nextTask();
      lastYield = performance.now();
    }
    if (stopped() || replaced()) throw new AttributionStopped();
    const fallbackId = defaultId(source.name, unit, jsonLines);
    const unitSetup = units.length === 1 ? setup : {};
    let episodes: Episode[] = [];
    try {
      const format = formatOf(unit.value, options);
      if (format === 'table') {
        formats.add(FORMAT_LABELS_WITH_TABLE.table);
        keep(await attributeTable(unit.value as { players: string[]; values: number[] }, fallbackId, options));
      } else {
        const detected = format === 'auto' ? detectFormat(unit.value) : format;
        if (detected) formats.add(FORMAT_LABELS_WITH_TABLE[detected]);
        episodes = adapt(format, unit.value, fallbackId, source.name, jsonLines ? unit.line : undefined, unitSetup);
      }
    } catch (error) {
      problems.push(...problemsOf(error, unit.record, unit.prefix));
    }
    for (const episode of episodes) {
      try {
        // A repeated id (two subsets of one dataset, say) is told apart by its file and line, as the CLI does.
        const id = distinctEpisodeId(episode.id, fallbackId, seen);
        if (id === undefined) throw new InputError([{ path: 'id', message: `duplicate episode id ${JSON.stringify(episode.id)} (also at ${seen.get(episode.id)})` }]);
        episode.id = id;
        const attributed = await attributeOne(episode, episodes.length === 1 ? unitSetup : {}, fileName(source.name), judge);
        if (replaced()) throw new AttributionStopped();
        seen.set(episode.id, `line ${unit.line}`);
        preferenceRows[count] = attributed.preferences;
        for (const kind of EXPORT_KINDS) rows[kind].push(...attributed.rows[kind]);
        keep({ ...attributed.entry, index: count });
      } catch (error) {
        if (error instanceof AttributionStopped) throw error;
        // A judge that fails (unreachable, a wrong key) would fail every record after this one too, each
        // after its retries: the run stops here, as the CLI's does, and says so once.
        const failure = serverFailure(error);
        if (failure) {
          problems.push({ line: null, field: 'judge', message: `the judge failed at line ${unit.line}, so the run stopped there: ${failure.message}` });
          break units;
        }
        problems.push(...problemsOf(error, unit.record, unit.prefix));
      }
    }
    progress(index + 1, units.length);
  }
  if (pending.length) send(pending);
  // Lines that are not JSON were found first; in line order they read as the file does (the judge's, lineless, first).
  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  if (!count) throw new InputProblems(problems);
  const exportable = rows.rewards.length > 0 || rows.dpo.length > 0 || rows.kto.length > 0;
  const exports: AttributionResult['exports'] = {};
  if (replaced()) throw new AttributionStopped();
  if (rows.signals.length && exportable) {
    lastRows = rows;
    for (const kind of EXPORT_KINDS) exports[kind] = rows[kind].length;
  }
  return {
    source: source.name,
    format: [...formats].join(', '),
    entries: count,
    exports,
    problems,
    missing: rows.signals.length && !exportable ? missingParts(kept, judge !== null) : [],
    elapsedMs: performance.now() - started,
  };
}

/** Counts the attribution runs started: only the newest keeps its rows here. */
let newestRun = 0;

/** Each episode's preference rows of the last run, by entry index: sent only when the page shows them. */
let preferenceRows: PreferenceRows[] = [];

export function preferencesOf(index: number): PreferenceRows {
  return preferenceRows[index] ?? [];
}

/** The rows of the last run's downloads, kept here so the page receives only their counts. */
let lastRows: Record<ExportKind, unknown[]> | null = null;

/** One download of the last run as JSONL, byte for byte what the CLI writes. */
export function exportText(kind: ExportKind): string {
  return (lastRows?.[kind] ?? []).map((row) => toJsonl(row)).join('');
}

const FORMAT_LABELS_WITH_TABLE: Record<string, string> = { ...FORMAT_LABELS, table: 'value table' };

/** What the setup step offers for a single transcript: its speakers, messages and outcome, if it has one. */
export function inspectSource(source: ReadSource, options: RunOptions): Draft | null {
  // A dataset is known from its lines: parsing it here would parse it twice, once more for the run.
  if (holdsSeveralRecords(source.name, source.text)) return null;
  const { records, jsonLines } = readRecords(source.name, source.text);
  const units = unitsOf(records, jsonLines);
  if (units.length !== 1) return null;
  const value = units[0].value;
  const format = formatOf(value, options);
  if (format === 'table') return null;
  const id = defaultId(source.name, units[0], jsonLines);
  let episode: Episode;
  let outcome: Draft['outcome'];
  try {
    episode = episodeFrom(format, value, { file: source.name }, { id });
    outcome = episode.outcome;
  } catch {
    // Without its outcome a transcript still has speakers and messages to set up.
    try {
      episode = episodeFrom(format, value, { file: source.name }, { id, outcome: { score: 0, success: false } });
      outcome = null;
    } catch {
      return null;
    }
  }
  const counts = new Map<string, number>();
  for (const message of episode.messages) counts.set(message.agent, (counts.get(message.agent) ?? 0) + 1);
  const detected = format === 'auto' ? detectFormat(value) : format;
  return {
    format: detected ? FORMAT_LABELS_WITH_TABLE[detected] : String(format),
    id: episode.id,
    speakers: [...counts].map(([name, messages]) => ({ name, agent: episode.agents.includes(name), messages })),
    messages: episode.messages.map((m) => ({ id: m.id, agent: m.agent, preview: m.content.length > 160 ? `${m.content.slice(0, 160)}…` : m.content })),
    outcome,
    hasCoalitions: episode.table !== null,
  };
}
