// One chunk of an input file to output rows: parse, adapt, validate, attribute
// (all coalition tables of the batch in one Wasm call), format. Runs in the
// CLI's worker threads, or in the main thread when there are none. The result
// keeps per-record boundaries so the caller can stop exactly at a bad record;
// rows are made one at a time and go out in parts of PIECE_BYTES as they are
// made, so one long episode's rows are never all in memory at once.
import { detectFormat, episodesFrom, type AdapterDefaults, type InputFormat } from '../episodes/adapters/index.js';
import { attributeBatch, type Signals } from '../episodes/attribute.js';
import { EpisodeError, type Episode, type RecordSource } from '../episodes/episode.js';
import { InputError, type InputIssue } from '../core/errors.js';
import type { AttributionOptions } from './attribution-flags.js';
import { fileEpisodeId, placedEpisodeId } from '../episodes/episode-ids.js';
import { checkPrmLength, dpoRows, ktoRows, prmRows, rewardRows, toJsonl, type RowIdentity } from '../episodes/export.js';
import type { SystemTurn } from '../episodes/agent-view.js';
import { reportEntry } from './report.js';
import { recordTexts, type RecordChunk, type RecordText } from './records.js';
import { htmlReportEntry } from './html-report.js';
import { ByteSink } from './byte-sink.js';

export const OUTPUT_FORMATS = ['signals', 'dpo', 'kto', 'prm', 'rewards', 'summary'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** Where an episode's id comes from (--id-from): the record, the file (and line), or both joined. */
export const ID_SOURCES = ['record', 'file', 'both'] as const;
export type IdSource = (typeof ID_SOURCES)[number];

/** The formats whose rows are each one agent's (signals and summary hold whole episodes). */
export const AGENT_FORMATS: readonly OutputFormat[] = ['dpo', 'kto', 'prm', 'rewards'];

/** What rows to write, from the command's flags (checked once, in attribute.ts). */
export interface RowsPlan {
  format: OutputFormat;
  systemTurn: SystemTurn;
  prmUntilFirstError: boolean;
  /** Infinity: no limit. */
  prmMaxSteps: number;
  /** Infinity: no limit. */
  prmMaxChars: number;
  /** Keep only this agent's rows; null keeps all. */
  agent: string | null;
  /** Report each row's agent (for --split-by-agent). */
  split: boolean;
}

export interface RowsJob {
  chunk: RecordChunk;
  from: InputFormat;
  plan: RowsPlan;
  idFrom: IdSource;
  /** Also return each episode's entry of the HTML report. */
  report: boolean;
  /** The chunk's file as rows name it in their `source` column. */
  source: string;
  /** --agents: the players; every other speaker is context. */
  agents?: string[];
  /** --reward-bound, --score-threshold, --drop-threshold. */
  options?: AttributionOptions;
  /** Rows are handed off in parts of about this many bytes (default PIECE_BYTES; tests lower it). */
  piece?: number;
}

/**
 * The bytes of rows a chunk hands off at a time: a long episode's rows go out
 * in parts of about this size (whole rows) while the rest are made, so the
 * memory a chunk takes is bounded by this plus its longest row, not by its
 * output (which grows with the square of an episode's length for rewards).
 */
export const PIECE_BYTES = 4 << 20;

/**
 * Takes one part of a chunk's rows while the rest wait (the next part is made
 * once it resolves); resolves to false when no more rows are wanted.
 */
export type PartSink = (part: RowsBatch) => Promise<boolean>;

/** Per record, in input order: its id, outcome or error, and where its rows end in `text`. */
export interface RowsBatch {
  /** The rows as UTF-8 JSON lines (the summary: report text), in a buffer of their own (transferable). */
  bytes: Uint8Array;
  ids: Array<string | null>;
  sources: RecordSource[];
  /** The EpisodeError message of a record that cannot be attributed, else null. */
  errors: Array<string | null>;
  success: boolean[];
  /** Whether the episode's first error disagrees with its annotated mistake agent or step. */
  disagrees: boolean[];
  /** Why an attributed record lacks some signal (e.g. no first error, so no rewards), else null. */
  warnings: Array<string | null>;
  /** The index of a record whose error stops the run even with --skip-invalid (a judge that failed for good), else null. */
  fatal: number | null;
  rows: number[];
  /** End offset in `bytes` of each record's rows. */
  ends: number[];
  /** Each attributed record's HTML report entry (report jobs only), else null. */
  reports: Array<string | null>;
  /** The agents of each record (none for a record in error). */
  agents: string[][];
  /** With plan.split: the agent of each row (one JSON line), in order. */
  rowAgents: string[];
  /**
   * A part of the chunk's rows, not its end: the last record's rows go on in
   * the next part. Its entry here has its id and rows so far; its outcome
   * (success, warnings, agents, report, or an error met later) is in the
   * entry that ends it.
   */
  continues: boolean;
}

/** An episode's rows, made one at a time as they are written (an error in its arguments is thrown here, before any). */
function rowsOf(plan: RowsPlan, source: string, signals: Signals, episode: Episode): Iterable<unknown> {
  const { systemTurn } = plan;
  switch (plan.format) {
    case 'signals':
    case 'summary':
      return [signals];
    case 'dpo':
      return dpoRows(signals, { systemTurn, source });
    case 'kto':
      return ktoRows(signals, { systemTurn, source });
    case 'prm':
      return prmRows(signals, episode, { untilFirstError: plan.prmUntilFirstError, maxSteps: plan.prmMaxSteps, maxChars: plan.prmMaxChars, source });
    case 'rewards':
      return rewardRows(signals, episode, { systemTurn, source });
  }
}

/** Rows as JSON lines; the summary as the readable report's text (src/cli/report.ts). */
const encode = (format: OutputFormat, row: unknown): string => (format === 'summary' ? reportEntry(row as Signals) : toJsonl(row));

function idOf(record: unknown): string | undefined {
  const id = record !== null && typeof record === 'object' && 'id' in record ? (record as { id: unknown }).id : undefined;
  return typeof id === 'string' ? id : undefined;
}

/** Whether the text of a .json file that is not one JSON text holds one per line: its first two lines parse alone. */
function isJsonLines(text: string): boolean {
  const lines = text.split('\n', 64).filter((line) => line.trim() !== '').slice(0, 2);
  return lines.length === 2 && lines.every((line) => {
    try {
      JSON.parse(line);
      return true;
    } catch {
      return false;
    }
  });
}

type Parsed = { source: RecordSource; episode?: Episode; error?: EpisodeError };

/** The episode's id as --id-from asks: the record's, the file's (and line's), or file/record. */
function idFrom(episode: Episode, source: { file: string; line?: number }, idSource: IdSource, k: number, count: number): void {
  if (idSource === 'record') return;
  const fileId = fileEpisodeId(source);
  episode.id = idSource === 'file' ? (count > 1 ? `${fileId}#${k + 1}` : fileId) : placedEpisodeId(fileId, episode.id);
}

/** The adapters' issues with the `agents` option, which --agents gave them, named as the flag. */
function flagIssues(issues: InputIssue[]): InputIssue[] {
  return issues.map((issue) => (issue.path === 'options.agents' ? { ...issue, path: '--agents' } : issue));
}

/**
 * Parses one record. `named` is its file as the rows' `source` column names
 * it (relative to the input directory): ids made from the file use it, not
 * the path as typed, so they do not depend on where the command ran from.
 */
function parse(record: RecordText, from: InputFormat, idSource: IdSource, agents: string[] | undefined, named: string): Parsed[] {
  if (record.unreadable) return [{ source: record.source, error: new EpisodeError([{ path: '', message: record.unreadable }], undefined, record.source) }];
  let value: unknown;
  try {
    value = JSON.parse(record.text);
  } catch (error) {
    const reason = record.source.line === undefined && isJsonLines(record.text)
      ? `not one JSON text but one per line (JSON Lines): name the file .jsonl or .ndjson to read each line as a record`
      : `not valid JSON (${(error as Error).message}); a truncated or broken line?`;
    return [{ source: record.source, error: new EpisodeError([{ path: '', message: reason }], undefined, record.source) }];
  }
  // A .json file may hold a list of records, whatever --from says; a list that is itself a transcript (chat messages,
  // spans, items: detected as one, in any format) is one record.
  const listed = record.source.line === undefined && Array.isArray(value) && (from === 'episode' || detectFormat(value) === null);
  const items: Array<[unknown, RecordSource, { file: string; line?: number }]> = listed
    ? (value as unknown[]).map((item, k) => [item, { file: `${record.source.file}[${k}]` }, { file: `${named}[${k}]` }])
    : [[value, record.source, { ...record.source, file: named }]];
  return items.flatMap(([item, source, idSourceOf]): Parsed[] => {
    try {
      const defaults: AdapterDefaults = agents ? { id: fileEpisodeId(idSourceOf), agents } : { id: fileEpisodeId(idSourceOf) };
      const episodes = episodesFrom(from, item, source, defaults);
      episodes.forEach((episode, k) => idFrom(episode, idSourceOf, idSource, k, episodes.length));
      return episodes.map((episode) => ({ source, episode }));
    } catch (error) {
      if (error instanceof EpisodeError) return [{ source, error: new EpisodeError(flagIssues(error.issues), error.episode, error.source) }];
      if (error instanceof InputError) return [{ source, error: new EpisodeError(flagIssues(error.issues), undefined, source) }];
      // Anything else one record makes an adapter throw (a stack overflow on absurd nesting, say) is still that
      // record's error: it must not take the records around it down with it.
      const reason = `cannot be read (${error instanceof Error ? `${error.name}: ${error.message}` : String(error)})`;
      return [{ source, error: new EpisodeError([{ path: '', message: reason }], idOf(item), source) }];
    }
  });
}

/**
 * The rows of one episode under another id: the id in signals rows and the
 * `episode` field of rows that name their episode, or the header line of the
 * summary's block (episodeReport: the id, two spaces, the outcome). For an id
 * that repeats an earlier episode's, renamed by the main thread (which alone
 * sees every id).
 */
export function renameRows(bytes: Uint8Array, format: OutputFormat, from: string, to: string): Uint8Array {
  if (format !== 'signals' && format !== 'summary') return renameEpisodeField(bytes, from, to);
  const text = new TextDecoder().decode(bytes);
  if (format === 'summary') {
    const header = `\n${from}  `;
    return text.startsWith(header) ? new TextEncoder().encode(`\n${to}  ${text.slice(header.length)}`) : bytes;
  }
  const renamed = text.split('\n').filter((line) => line !== '').map((line) => {
    const row = JSON.parse(line) as Record<string, unknown>;
    for (const key of ['id', 'episode']) if (row[key] === from) row[key] = to;
    return toJsonl(row);
  });
  return new TextEncoder().encode(renamed.join(''));
}

/**
 * The `episode` field of export rows (dpo, kto, prm, rewards) renamed in the
 * bytes, without parsing the rows: these rows are long (each carries its
 * prompt), and the repeated ids of a dataset such as Who&When's made parsing
 * and writing them again a third of a run's time. It is exact because every
 * raw `"` in JSON text delimits a string (one inside a string is written
 * `\"`), so `"episode":` right after `{` or `,` is a key; and these rows hold
 * a key named `episode` only at their top level (their turns have role,
 * content and name).
 */
function renameEpisodeField(bytes: Uint8Array, from: string, to: string): Uint8Array {
  const field = (id: string) => Buffer.from(toJsonl({ episode: id }).slice(1, -2));
  const needle = field(from);
  const replacement = field(to);
  const source = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const parts: Uint8Array[] = [];
  let copied = 0;
  for (let at = source.indexOf(needle); at >= 0; at = source.indexOf(needle, at + needle.length)) {
    const before = source[at - 1];
    const after = source[at + needle.length];
    if ((before !== 0x2c && before !== 0x7b) || (after !== 0x2c && after !== 0x7d)) continue;
    parts.push(source.subarray(copied, at), replacement);
    copied = at + needle.length;
  }
  if (parts.length === 0) return bytes;
  parts.push(source.subarray(copied));
  return Buffer.concat(parts);
}

/** Signals (or the error) of one episode: a paid run's, which judges or re-runs one episode at a time. */
export type EpisodeAttributor = (episode: Episode, source: RecordSource) => Promise<Signals | EpisodeError>;

/** An episode's error that must stop the run, --skip-invalid or not: the judge or evaluator failed for good. */
export class FatalEpisodeError extends EpisodeError {
  readonly fatal = true;
}

/** A batch of no records. */
function emptyRowsBatch(): RowsBatch {
  return { bytes: new Uint8Array(0), ids: [], sources: [], errors: [], success: [], disagrees: [], warnings: [], fatal: null, rows: [], ends: [], reports: [], agents: [], rowAgents: [], continues: false };
}

/** A record's outcome: its signals and rows, an episode left unattributed (none of its rows wanted), or its error. */
type Outcome = { signals: Signals; rows: Iterable<unknown> } | { unattributed: Episode } | EpisodeError;

/** The rows of an attributed episode, or the record's error when they cannot be made as asked. */
function outcomeOf(job: RowsJob, result: Signals | EpisodeError, item: Parsed): Outcome {
  if (result instanceof EpisodeError) return result;
  try {
    return { signals: result, rows: rowsOf(job.plan, job.source, result, item.episode!) };
  } catch (error) {
    return rowsError(error, item);
  }
}

/** An episode whose rows cannot be made as asked (a --prm-max-chars below its shortest row) is that record's error. */
function rowsError(error: unknown, item: Parsed): EpisodeError {
  if (!(error instanceof InputError)) throw error;
  return new EpisodeError(error.issues.map((issue) => (issue.path === 'options.maxChars' ? { ...issue, path: '--prm-max-chars' } : issue)), item.episode!.id, item.source);
}

/**
 * What a paid run can tell of an episode's rows before paying for its
 * signals: the record's error when they cannot be made as asked whatever
 * the judge says (a --prm-max-chars below the shortest its PRM rows can be),
 * else null.
 */
function rowsErrorBeforePaying(plan: RowsPlan, item: Parsed): EpisodeError | null {
  if (plan.format !== 'prm' || plan.prmMaxChars === Infinity) return null;
  try {
    checkPrmLength(item.episode!, { untilFirstError: plan.prmUntilFirstError, maxSteps: plan.prmMaxSteps, maxChars: plan.prmMaxChars });
    return null;
  } catch (error) {
    return rowsError(error, item);
  }
}

/** Every record's outcome, the valid episodes attributed together (one Wasm call for all coalition tables). */
async function allOutcomes(parsed: Parsed[], job: RowsJob): Promise<Outcome[]> {
  const valid = parsed.filter((item) => item.episode);
  const results = await attributeBatch(valid.map((item) => item.episode!), job.options ?? {}, valid.map((item) => item.source));
  let next = 0;
  return parsed.map((item) => (item.episode ? outcomeOf(job, results[next++], item) : item.error!));
}

/** The chunk's records, parsed and adapted: episodes, or each record's error. */
function parseChunk(job: RowsJob): Parsed[] {
  return recordTexts(job.chunk).flatMap((record) => parse(record, job.from, job.idFrom, job.agents, job.source));
}

/**
 * Parses, adapts, validates, attributes (all coalition tables in one Wasm
 * call) and formats one chunk. Given `onPart`, rows past `job.piece` bytes go
 * to it in parts while the rest are made, and the last part is the result;
 * without it, the result holds every row.
 */
export async function attributeRows(job: RowsJob, onPart?: PartSink): Promise<RowsBatch> {
  const parsed = parseChunk(job);
  return batchOf(job, parsed, await allOutcomes(parsed, job), onPart);
}

/**
 * A paid run's chunk (a judge, an evaluator), one record at a time: each
 * episode is attributed and its batch handed to `take`, which writes its
 * rows, before the next one is paid for. Rows paid for reach the output at
 * once (Ctrl-C loses none), and a run that `take` stops (a bad record, a
 * judge that failed for good: it returns false) pays for nothing after it.
 * An episode `wanted` turns down (no row of it would be kept) is not
 * attributed, and counts with no rows; one whose rows cannot be made as
 * asked, whatever its signals, is its record's error before anything is
 * paid for it. A long episode's rows go to `take` in parts, as attributeRows
 * hands them off.
 */
export async function attributeEachRecord(
  job: RowsJob, attribute: EpisodeAttributor, take: PartSink, wanted: (episode: Episode, source: RecordSource) => boolean = () => true,
): Promise<void> {
  for (const item of parseChunk(job)) {
    const episode = item.episode;
    const outcome = !episode ? item.error! : !wanted(episode, item.source) ? { unattributed: episode } : rowsErrorBeforePaying(job.plan, item) ?? outcomeOf(job, await attribute(episode, item.source), item);
    if (!(await take(await batchOf(job, [item], [outcome], take)))) return;
  }
}

/** An InputError for a row that cannot be made or written: JavaScript's longest string, or memory for its bytes, is too short for it. */
function rowTooLong(error: RangeError, item: Parsed, row: unknown, after: string | undefined): EpisodeError {
  const message = row !== undefined ? (row as RowIdentity).message : undefined;
  const which = message !== undefined ? `the row of message ${JSON.stringify(message)}` : after !== undefined ? `the row after message ${JSON.stringify(after)}` : 'its first row';
  const size = row !== undefined ? `, ${textLength(row).toLocaleString('en-US')} characters of text before escaping` : '';
  const reason = `${which} cannot be written (${error.message}${size}): one row must fit in a JavaScript string (${MAX_STRING.toLocaleString('en-US')} characters) and in memory`;
  return new EpisodeError([{ path: '', message: reason }], item.episode!.id, item.source);
}

/** V8's longest string on 64-bit platforms (2^29 - 24 UTF-16 code units). */
const MAX_STRING = 2 ** 29 - 24;

/** The characters of the strings in a row (its prompt, completion, ...): its size when its JSON is too long to make. */
function textLength(value: unknown): number {
  if (typeof value === 'string') return value.length;
  if (value === null || typeof value !== 'object') return 0;
  let total = 0;
  for (const item of Object.values(value)) total += textLength(item);
  return total;
}

/**
 * The rows and bookkeeping of records and their outcomes, in order. Once
 * `job.piece` bytes are written, they go to `onPart` (whole rows) and the
 * next ones are made only once it resolves; the rest is the result. A row
 * that cannot be made or written is the record's error (its rows in earlier
 * parts are out; those in this part are dropped).
 */
async function batchOf(job: RowsJob, parsed: Parsed[], outcomes: Outcome[], onPart?: PartSink): Promise<RowsBatch> {
  const { plan } = job;
  const piece = onPart ? (job.piece ?? PIECE_BYTES) : Infinity;
  let batch = emptyRowsBatch();
  let out = new ByteSink();
  for (let k = 0; k < outcomes.length; k++) {
    let outcome = outcomes[k];
    // Let go of each outcome once written: its rows are made as they are written, and its signals are not needed after.
    outcomes[k] = undefined!;
    const item = parsed[k];
    const id = item.episode ? item.episode.id : (item.error!.episode ?? null);
    const enter = () => {
      batch.sources.push(item.source);
      batch.ids.push(id);
    };
    enter();
    if (!(outcome instanceof EpisodeError) && !('unattributed' in outcome)) {
      let written = 0;
      let row: unknown;
      let after: string | undefined;
      try {
        for (row of outcome.rows) {
          if (plan.agent !== null && (row as RowIdentity).agent !== plan.agent) continue;
          out.append(encode(plan.format, row));
          written++;
          if (plan.split) batch.rowAgents.push((row as RowIdentity).agent);
          after = (row as RowIdentity).message;
          row = undefined;
          if (out.length < piece) continue;
          // A part: the rows so far, this record's among them; its entry in the next part ends it.
          batch.errors.push(null);
          batch.warnings.push(null);
          batch.success.push(false);
          batch.disagrees.push(false);
          batch.rows.push(written);
          batch.reports.push(null);
          batch.agents.push([]);
          batch.ends.push(out.length);
          batch.continues = true;
          batch.bytes = out.take();
          if (!(await onPart!(batch))) return emptyRowsBatch();
          batch = emptyRowsBatch();
          written = 0;
          enter();
        }
      } catch (error) {
        if (!(error instanceof RangeError)) throw error;
        outcome = rowTooLong(error, item, row, after);
      }
      if (!(outcome instanceof EpisodeError)) {
        const { signals } = outcome;
        batch.agents.push(item.episode!.agents);
        batch.errors.push(null);
        batch.warnings.push(signals.warnings ? signals.warnings.join('; ') : null);
        batch.success.push(signals.success);
        batch.disagrees.push(signals.annotationAgreement?.agent === false || signals.annotationAgreement?.step === false);
        batch.rows.push(written);
        batch.reports.push(job.report ? htmlReportEntry(signals, item.episode!) : null);
        batch.ends.push(out.length);
        continue;
      }
      // The rows of this record before the one that cannot be written are dropped from this part; earlier parts' are out.
      batch.rowAgents.length -= written;
      out.rewind(batch.ends.at(-1) ?? 0);
    }
    if (outcome instanceof EpisodeError) {
      if (outcome instanceof FatalEpisodeError) batch.fatal ??= batch.errors.length;
      batch.errors.push(outcome.message);
      batch.warnings.push(null);
      batch.success.push(false);
      batch.disagrees.push(false);
      batch.rows.push(0);
      batch.reports.push(null);
      batch.agents.push([]);
    } else {
      batch.agents.push(outcome.unattributed.agents);
      batch.errors.push(null);
      batch.warnings.push(null);
      batch.success.push(outcome.unattributed.outcome.success);
      batch.disagrees.push(false);
      batch.rows.push(0);
      batch.reports.push(null);
    }
    batch.ends.push(out.length);
  }
  batch.bytes = out.take();
  return batch;
}
